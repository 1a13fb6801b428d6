"""Deployment files of monitors: ``calmops deploy`` and ``calmops undeploy``."""

from __future__ import annotations

from typing import Annotated

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    console,
    emit_json,
    err_console,
    workspace,
)

__all__ = ["deploy", "undeploy"]


# ---- deploy ----------------------------------------------------------------------------


def deploy(
    ctx: typer.Context,
    name: NameArgument,
    target: Annotated[str, typer.Option("--target", "-t", help="systemd, docker or pm2.")],
    user: Annotated[
        bool, typer.Option("--user", help="systemd: a user unit (no root needed).")
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Write the files that run a pipeline's monitor under systemd, Docker or PM2."""
    from calmops.monitor.deploy import deploy as write_files
    from calmops.monitor.service import check_monitorable

    ws = workspace(ctx, home)
    check_monitorable(ws, name)
    done = write_files(ws, name, target, user_unit=user)
    if as_json:
        emit_json({**vars(done), "files": [str(p) for p in done.files]})
        return
    out = console()
    out.print(f"Wrote {target} files for [bold]{name}[/] in {done.folder}:")
    for path in done.files:
        out.print(f"  {path.relative_to(done.folder)}", markup=False)
    out.print("Next:")
    for step in done.next_steps:
        out.print(f"  {step}", markup=False)


def undeploy(
    ctx: typer.Context,
    name: NameArgument,
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="Only this target (default: all).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Remove the deployment files written by `calmops deploy`."""
    from calmops.monitor.deploy import undeploy as remove_files

    ws = workspace(ctx, home)
    ws.get(name)
    removed = remove_files(ws, name, target)
    if not removed:
        err_console().print(f"No deployment files for '{name}'.")
        return
    for folder in removed:
        console().print(f"Removed {folder}", markup=False)
    console().print(
        "If you installed them, also undo that: `systemctl disable --now calmops-NAME`, "
        "`docker compose down`, or `pm2 delete calmops-NAME`.".replace("NAME", name),
        markup=False,
    )
