"""``calmops ui``: serve the dashboards of every pipeline in the workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from calmops.cli.output import HomeOption, err_console, state
from calmops.hosts import allowed_hosts_for

__all__ = ["register"]

DEFAULT_PORT = 8501


def register(app: typer.Typer) -> None:
    """Add ``ui`` to the root app."""
    app.command("ui")(ui)


def ui(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: all)."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = DEFAULT_PORT,
    poll: Annotated[
        float, typer.Option("--poll", min=0.5, help="Seconds between a page's checks for news.")
    ] = 3.0,
    home: HomeOption = None,
) -> None:
    """Serve the dashboards (overview, runs, data, drift, performance, models, logs)."""
    _check_free(host, port)
    import uvicorn

    from calmops.settings import get_settings
    from calmops.web.app import create_ui_app

    chosen = home if home is not None else state(ctx).home
    settings = get_settings(home=chosen)
    allowed = allowed_hosts_for(host)  # against DNS rebinding
    loopback = allowed is not None
    app = create_ui_app(settings, poll_seconds=poll, allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    notes = ["actions need the API key" if settings.api_key else "no API key set"]
    errors = err_console()
    if not loopback:
        errors.print(
            f"[yellow]warning:[/] listening on {host}: anyone who can reach it can read every "
            "pipeline's dashboards (data previews, logs); "
            + ("promote and roll back need the API key." if settings.api_key
               else "set CALMOPS_API_KEY so that promote and roll back need a key.")
        )  # fmt: skip
    errors.print(
        f"CalmOps dashboards on http://{shown}:{port}/ ({'; '.join(notes)}); Ctrl+C stops."
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_free(host: str, port: int) -> None:
    """A clear error when the port is taken (rather than the server's own traceback)."""
    import socket

    from calmops.errors import CalmopsError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CalmopsError(
                f"cannot listen on {host}:{port} ({error.strerror or error}); "
                "choose another port with --port"
            ) from None
