"""Monitor commands: ``start``, ``stop``, ``restart`` (``relaunch``), ``status``, ``logs``,
``deploy``, ``undeploy``; and the foreground monitor behind ``calmops run NAME``.

Everything heavy (watchdog, APScheduler, pandas) is imported inside the commands.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    console,
    emit_json,
    err_console,
    local_time,
    workspace,
)
from calmops.errors import CalmopsError

if TYPE_CHECKING:
    from calmops.workspace import Workspace

__all__ = ["register", "restart_if_running", "run_monitor", "stop_if_running"]

NameArgument = Annotated[
    str | None, typer.Argument(help="Pipeline name (or --all).", show_default=False)
]
AllOption = Annotated[bool, typer.Option("--all", help="Every watch and schedule pipeline.")]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0, help="Seconds to let the current batch finish."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Kill the monitor (SIGKILL) if it has not stopped in time.")
]


def register(app: typer.Typer) -> None:
    """Add the monitor commands to the root app."""
    app.command("start")(start)
    app.command("stop")(stop)
    app.command("restart")(restart)
    app.command("relaunch", help="Alias of `restart`.", hidden=True)(restart)
    app.command("status")(status)
    app.command("logs")(logs)
    app.command("deploy")(deploy)
    app.command("undeploy")(undeploy)


def _names(ws: Workspace, name: str | None, all_: bool) -> list[str]:
    if all_ and name:
        raise typer.BadParameter("give a pipeline NAME or --all, not both")
    if not all_ and not name:
        raise typer.BadParameter("give a pipeline NAME, or --all for every pipeline")
    if name:
        ws.get(name)
        return [name]
    return [r.name for r in ws.list() if ws.spec(r.name).trigger.type != "manual"]


# ---- the foreground monitor (`calmops run NAME`, `calmops run --all`) -------------------


def run_monitor(ctx: typer.Context, name: str | None, all_: bool, home: Any = None) -> None:
    """Monitor NAME (or every pipeline) in this process until Ctrl-C or SIGTERM."""
    from calmops.monitor.daemon import MODE_ENV
    from calmops.monitor.service import MonitorService

    ws = workspace(ctx, home)
    names = _names(ws, name, all_)
    if name and ws.spec(name).trigger.type == "manual":
        raise typer.BadParameter(
            f"pipeline '{name}' has a manual trigger: give --once (every pending file) or "
            f"--file FILE, or `calmops update {name} --set trigger.type=watch` to monitor it"
        )
    if not names:
        raise CalmopsError(
            "no watch or schedule pipeline to monitor (see `calmops list`; "
            "`calmops update NAME --set trigger.type=watch` makes one watch its folder)"
        )
    mode = os.environ.get(MODE_ENV, "foreground")
    errors = err_console()

    def ready(monitored: list[str]) -> None:
        errors.print(
            f"Monitoring {', '.join(monitored)} (pid {os.getpid()}); "
            "Ctrl-C or SIGTERM stops after the current batch."
        )

    def report(pipeline: str, result: Any) -> None:
        where = os.path.basename(result.source or "")
        errors.print(f"{pipeline}: {where} {result.status} ({result.decision or result.reason})")

    service = MonitorService(
        ws, names, mode=mode, on_ready=ready, on_result=report if mode == "foreground" else None
    )
    summary = service.run()
    for skipped, why in summary.skipped.items():
        errors.print(f"[yellow]skipped {skipped}:[/] {why}")
    errors.print(
        f"Stopped ({summary.stopped_by}) after {summary.runs} runs, {summary.failed} failed."
    )


# ---- start / stop / restart ------------------------------------------------------------


def start(
    ctx: typer.Context,
    name: NameArgument = None,
    all_: AllOption = False,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for the monitor to be up.")
    ] = 60.0,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Start monitors in the background (detached; output in the pipeline's logs)."""
    from calmops.errors import PipelineBusyError
    from calmops.monitor import daemon

    ws = workspace(ctx, home)
    results = []
    for each in _names(ws, name, all_):
        try:
            results.append(daemon.start(ws, each, wait=wait))
        except PipelineBusyError as busy:
            if name:
                raise
            results.append(daemon.LifecycleResult(each, "already_running", message=str(busy)))
    _show(results, as_json, empty="No watch or schedule pipeline to start.")


def stop(
    ctx: typer.Context,
    name: NameArgument = None,
    all_: AllOption = False,
    timeout: TimeoutOption = 120.0,
    force: ForceOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Stop monitors: each finishes its current batch first (SIGTERM)."""
    from calmops.monitor import daemon

    ws = workspace(ctx, home)
    names = [name] if name else [r.name for r in ws.list()] if all_ else _names(ws, name, all_)
    results = [daemon.stop(ws, each, timeout=timeout, force=force) for each in names]
    _show(results, as_json, empty="No pipelines.")
    if any(r.status == "still_running" for r in results):
        raise typer.Exit(code=1)


def restart(
    ctx: typer.Context,
    name: NameArgument = None,
    all_: AllOption = False,
    timeout: TimeoutOption = 120.0,
    force: ForceOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Stop and start monitors again, so they run with the current spec."""
    ws = workspace(ctx, home)
    results = [restart_one(ws, each, timeout, force) for each in _names(ws, name, all_)]
    _show(results, as_json, empty="No watch or schedule pipeline to restart.")


def restart_one(ws: Workspace, name: str, timeout: float = 120.0, force: bool = False) -> Any:
    """Stop the monitor of ``name`` if it runs, then start it in the background."""
    from calmops.monitor import daemon

    stopped = daemon.stop(ws, name, timeout=timeout, force=force)
    if stopped.status == "still_running":
        raise CalmopsError(f"could not restart '{name}': {stopped.message}")
    return daemon.start(ws, name)


def restart_if_running(ws: Workspace, name: str, restart_now: bool) -> str | None:
    """For ``calmops update``: restart a running monitor, or say how to; None if not running."""
    from calmops.monitor.state import lock_holder

    if lock_holder(ws.paths(name).root) is None:
        return None
    if not restart_now:
        return f"'{name}' is running: `calmops restart {name}` applies the change"
    result = restart_one(ws, name)
    return f"Restarted '{name}' (pid {result.pid}) with the new spec."


def stop_if_running(ws: Workspace, name: str) -> str | None:
    """For ``calmops delete``: stop a running monitor first; None if it was not running."""
    from calmops.monitor import daemon

    result = daemon.stop(ws, name)
    if result.status == "still_running":
        raise CalmopsError(f"not deleting '{name}': {result.message}")
    return None if result.status == "not_running" else f"Stopped '{name}' (pid {result.pid})."


def _show(results: list, as_json: bool, empty: str) -> None:
    if as_json:
        emit_json([vars(r) for r in results])
        return
    if not results:
        err_console().print(empty)
        return
    words = {
        "started": "started",
        "starting": "starting",
        "already_running": "already running",
        "stopped": "stopped",
        "killed": "killed",
        "not_running": "was not running",
        "still_running": "still running",
    }
    for r in results:
        pid = f" (pid {r.pid})" if r.pid else ""
        detail = f": {r.message}" if r.message and r.status != "already_running" else ""
        console().print(f"{r.name}: {words[r.status]}{pid}{detail}", markup=False)


# ---- status ----------------------------------------------------------------------------


def status(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Pipeline name (default: all).", show_default=False)
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 unless running with a usable data folder."),
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Show whether monitors run: state, pid, uptime, trigger, last run, pending, next tick."""
    from calmops.monitor.status import pipeline_status

    ws = workspace(ctx, home)
    names = [name] if name else [r.name for r in ws.list()]
    rows = [pipeline_status(ws, each) for each in names]
    healthy = all(r.state in ("running", "paused") and not r.problem for r in rows)
    if as_json:
        emit_json(rows[0].to_dict() if name else [r.to_dict() for r in rows])
    elif name:
        _status_detail(rows[0])
    elif not rows:
        err_console().print(f"No pipelines in {ws.home}.")
    else:
        _status_table(rows)
    if check and not (rows and healthy):
        raise typer.Exit(code=1)


def _status_detail(s: Any) -> None:
    out = console()
    colour = {"running": "green", "paused": "yellow", "failed": "red"}.get(s.state, "dim")
    pid = f" (pid {s.pid}, {s.mode})" if s.pid else ""
    out.print(f"[bold]{s.name}[/]  [{colour}]{s.state}[/]{pid}")
    lines = [
        ("uptime", _duration(s.uptime_seconds)),
        ("trigger", s.trigger),
        ("next tick", _moment(s.next_tick)),
        ("problem", s.problem),
        ("running", s.current),
        ("queued", str(s.queued) if s.queued else None),
        ("pending", None if s.pending is None else f"{s.pending} files"),
        ("last run", _last(s.last_run)),
        ("breaker", None if s.breaker == "closed" else f"{s.breaker} (`calmops resume`)"),
    ]
    for label, value in lines:
        if value:
            out.print(f"  {label + ':':<11}{value}", markup=False)
    if s.state == "failed":
        out.print(f"  the monitor died: see `calmops logs {s.name}` and logs/monitor.out")


def _status_table(rows: list) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("name", "state", "pid", "uptime", "trigger", "last run", "pending", "next"):
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(
            s.name,
            s.state,
            str(s.pid or "—"),
            _duration(s.uptime_seconds) or "—",
            s.trigger,
            _last(s.last_run) or "—",
            "—" if s.pending is None else str(s.pending),
            s.problem or _moment(s.next_tick) or "—",
        )
    console().print(table)


def _moment(iso: str | None) -> str | None:
    """A next tick in local time, to the second (ticks may be seconds apart)."""
    from datetime import datetime

    return None if iso is None else f"{datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M:%S}"


def _last(run: dict | None) -> str | None:
    if run is None:
        return None
    what = run["decision"] or run["error"] or ""
    return f"{local_time(run['started_at'])} {run['status']} {what}".strip()


def _duration(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    shown = [f"{value}{unit}" for value, unit in parts if value][:2]
    return " ".join(shown) or "0s"


# ---- logs ------------------------------------------------------------------------------


def logs(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Pipeline name.")],
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    level: Annotated[
        str | None, typer.Option("--level", help="Only this level and above (info, warning...).")
    ] = None,
    grep: Annotated[
        str | None, typer.Option("--grep", help="Only lines containing TEXT (any case).")
    ] = None,
    lines: Annotated[int, typer.Option("-n", "--lines", min=0, help="Last N lines.")] = 20,
    home: HomeOption = None,
) -> None:
    """Show a pipeline's log (logs/pipeline.log); -f follows it until Ctrl-C."""
    import sys

    from calmops.monitor.logs import follow as follow_log
    from calmops.monitor.logs import tail

    ws = workspace(ctx, home)
    ws.get(name)
    path = ws.paths(name).logs / "pipeline.log"
    shown = tail(path, last=lines, level=level, grep=grep) if lines else []
    for record in shown:
        sys.stdout.write(record + "\n")
    if not follow:
        if not shown:
            err_console().print(f"No log lines yet in {path}.")
        return
    try:
        sys.stdout.flush()
        for record in follow_log(path, level=level, grep=grep):
            sys.stdout.write(record + "\n")
            sys.stdout.flush()
    except KeyboardInterrupt:  # Ctrl-C is how one stops following
        return


# ---- deploy ----------------------------------------------------------------------------


def deploy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Pipeline name.")],
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
    name: Annotated[str, typer.Argument(help="Pipeline name.")],
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
