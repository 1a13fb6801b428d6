"""Monitor commands: ``start``, ``stop``, ``restart`` (``relaunch``), and the foreground
monitor behind ``calmops run NAME``; ``status``/``logs`` and ``deploy``/``undeploy`` live in
:mod:`calmops.cli.monitor_status` and :mod:`calmops.cli.monitor_deploy` and register here.

Everything heavy (watchdog, APScheduler, pandas) is imported inside the commands.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameOrAllArgument,
    console,
    emit_json,
    err_console,
    workspace,
)
from calmops.errors import CalmopsError

if TYPE_CHECKING:
    from calmops.workspace import Workspace

__all__ = ["register", "restart_if_running", "run_monitor", "stop_if_running"]

AllOption = Annotated[bool, typer.Option("--all", help="Every watch and schedule pipeline.")]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0, help="Seconds to let the current batch finish."),
]
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor", help="Where monitors run: local (detached processes) or ray (actors)."
    ),
]
AddressOption = Annotated[
    str | None,
    typer.Option(
        "--address",
        help="The Ray cluster (default: $RAY_ADDRESS, else the one this host belongs to).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Kill the monitor (SIGKILL) if it has not stopped in time.")
]


def register(app: typer.Typer) -> None:
    """Add the monitor commands to the root app."""
    from calmops.cli.monitor_deploy import deploy, undeploy
    from calmops.cli.monitor_status import logs, status

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


def run_monitor(
    ctx: typer.Context, name: str | None, all_: bool, home: Any = None, standby: bool = False
) -> None:
    """Monitor NAME (or every pipeline) in this process until Ctrl-C or SIGTERM; a
    ``standby`` waits for pipelines another host runs and takes them over."""
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

    def stopping(reason: str) -> None:
        if mode == "foreground":
            errors.print(f"Stopping after the current batch ({reason}); Ctrl-C again leaves now.")

    service = MonitorService(
        ws,
        names,
        mode=mode,
        on_ready=ready,
        on_result=report if mode == "foreground" else None,
        on_stopping=stopping,
        standby=standby,
    )
    if standby:
        errors.print("Standing by: each pipeline starts once this process holds its lease.")
    try:
        summary = service.run()
    except KeyboardInterrupt:
        errors.print("Interrupted: the batch in progress runs again at the next start.")
        raise typer.Exit(code=130) from None
    for skipped, why in summary.skipped.items():
        errors.print(f"[yellow]skipped {skipped}:[/] {why}")
    errors.print(
        f"Stopped ({summary.stopped_by}) after {summary.runs} runs, {summary.failed} failed."
    )


# ---- start / stop / restart ------------------------------------------------------------


def start(
    ctx: typer.Context,
    name: NameOrAllArgument = None,
    all_: AllOption = False,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for the monitor to be up.")
    ] = 60.0,
    executor: ExecutorOption = "local",
    address: AddressOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="ray: actors sharing the pipelines (default: one each)."
        ),
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Start monitors in the background (detached; output in the pipeline's logs), or as
    actors on a Ray cluster with --executor ray."""
    from calmops.errors import PipelineBusyError
    from calmops.executor import get_executor
    from calmops.monitor import daemon

    ws = workspace(ctx, home)
    if executor != "local":
        chosen = get_executor(executor, address=address, workers=workers, wait=wait)
        placed = chosen.start(ws, _names(ws, name, all_))
        _show(placed, as_json, empty="No watch or schedule pipeline to start.")
        return
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
    name: NameOrAllArgument = None,
    all_: AllOption = False,
    timeout: TimeoutOption = 120.0,
    force: ForceOption = False,
    address: AddressOption = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Stop monitors: each finishes its current batch first (SIGTERM; Ray actors are asked
    to stop, then removed)."""
    from calmops.executor import RayExecutor
    from calmops.monitor import daemon

    ws = workspace(ctx, home)
    names = [name] if name else [r.name for r in ws.list()] if all_ else _names(ws, name, all_)
    on_ray = {
        lease.pipeline
        for lease in ws.store.leases.list()
        if lease.executor == "ray" and lease.live() and lease.pipeline in names
    }
    results = []
    if on_ray:
        ray = RayExecutor(address=address, timeout=timeout)
        results += ray.stop(ws, [each for each in names if each in on_ray])
    results += [
        daemon.stop(ws, each, timeout=timeout, force=force) for each in names if each not in on_ray
    ]
    _show(results, as_json, empty="No pipelines.")
    if any(r.status == "still_running" for r in results):
        raise typer.Exit(code=1)


def restart(
    ctx: typer.Context,
    name: NameOrAllArgument = None,
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
        return (
            f"'{name}' is running: `calmops restart {name}` applies the change "
            "(its trigger and data folder stay as they were until then)"
        )
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
