"""``calmops notify test``: send a test notification on every channel the workspace sets up.

The channels are in ``<home>/notifications.yaml`` (see :mod:`calmops.notify.config`). Each
webhook and the email get one test message; the command says which arrived and why the
others did not, and exits 1 when any failed.
"""

from __future__ import annotations

import typer

from calmops.cli.output import HomeOption, JsonOption, console, emit_json, err_console
from calmops.cli.output import workspace as open_workspace
from calmops.errors import CalmopsError

__all__ = ["notify_app", "register"]

notify_app = typer.Typer(
    help="Notifications of alerts (webhooks, email): check the set-up.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``notify`` group to the root app."""
    notify_app.command("test")(test_command)
    app.add_typer(notify_app, name="notify")


def test_command(ctx: typer.Context, as_json: JsonOption = False, home: HomeOption = None) -> None:
    """Send a test notification on every channel of <home>/notifications.yaml."""
    from calmops.notify import load_notifications, send_test
    from calmops.notify.config import CONFIG_FILE

    ws = open_workspace(ctx, home)
    spec = load_notifications(ws.home)
    if spec is None or not (spec.webhooks or spec.email):
        raise CalmopsError(
            f"no notification channel set up: add one to {ws.home / CONFIG_FILE}, e.g. "
            "`notifications: {webhooks: [{url: https://..., format: slack}]}`"
        )
    from rich.markup import escape

    results = send_test(spec)
    failed = [(channel, r) for channel, r in results if isinstance(r, CalmopsError)]
    if as_json:
        emit_json(
            [
                {
                    "channel": channel,
                    "sent": not isinstance(r, CalmopsError),
                    "detail": str(r) if isinstance(r, CalmopsError) else r.channel,
                }  # fmt: skip
                for channel, r in results
            ]
        )
    else:
        for _, r in results:
            if isinstance(r, CalmopsError):
                err_console().print(f"[red]not sent:[/] {escape(str(r))}")
            else:
                console().print(f"sent {r.channel} (attempt {r.attempts})")
    if failed:
        raise typer.Exit(code=1)
