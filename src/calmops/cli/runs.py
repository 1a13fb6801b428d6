"""Run commands: ``run`` (files, or the traffic ``serve`` logged), ``retry``, ``runs``
(with ``runs prune``, see :mod:`calmops.cli.runs_prune`), ``report``, ``resume``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.output import (
    HomeOption,
    JsonOption,
    NameArgument,
    NameOrAllArgument,
    console,
    emit_json,
    err_console,
    local_time,
    workspace,
)
from calmops.cli.run_results import run_with_progress, show_results
from calmops.errors import CalmopsError

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the run commands to the root app."""
    app.command("run")(run)
    app.command("retry")(retry)
    from calmops.cli.runs_prune import prune, runs_app

    runs_app.command("list")(runs)
    runs_app.command("prune")(prune)
    app.add_typer(runs_app, name="runs")
    app.command("report")(report)
    app.command("resume")(resume)


def run(
    ctx: typer.Context,
    name: NameOrAllArgument = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Monitor every watch and schedule pipeline.")
    ] = False,
    once: Annotated[
        bool, typer.Option("--once", help="Process every pending file, then exit.")
    ] = False,
    file: Annotated[
        Path | None, typer.Option("--file", help="Process this one file.", show_default=False)
    ] = None,
    served: Annotated[
        bool, typer.Option("--served", help="Monitor the traffic `calmops serve` logged.")
    ] = False,
    standby: Annotated[
        bool,
        typer.Option(
            "--standby",
            help="If another host runs the pipeline, wait and take over when its lease expires.",
        ),
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Monitor a pipeline until Ctrl-C; --once runs its pending files, --file one file."""
    if served:
        from calmops.cli.runs_served import run_served

        return run_served(ctx, name, as_json, home)
    if not once and file is None:
        from calmops.cli.monitor import run_monitor

        run_monitor(ctx, name, all_, home, standby=standby)
        return
    if name is None or all_:
        raise typer.BadParameter("--once and --file take one pipeline NAME, not --all")
    from calmops.pipeline.runner import Runner

    ws = workspace(ctx, home)
    with Runner(ws, name) as runner:
        files = [file] if file is not None else runner.pending()
        for path in runner.unreadable:
            err_console().print(f"warning: cannot read {path.name}; skipped", markup=False)
        if not files:
            if as_json:
                emit_json([])
            else:
                folder = ws.spec(name).data.dir
                err_console().print(f"No pending files in {folder}.")
            return
        results = run_with_progress(runner, files)
    show_results(results, as_json)
    _fail_on_failed(ws, name, results)


def _fail_on_failed(ws, name: str, results: list, again: str = "") -> None:
    """Exit 1 with the first reasons when any run failed (for scripts and schedulers)."""
    failed = [r for r in results if r.status == "failed"]
    if failed:
        what = "files" if ws.spec(name).data.chunk is None else "runs"
        raise CalmopsError(
            f"{len(failed)} of {len(results)} {what} failed{again} (see `calmops runs {name}`): "
            + "; ".join(f"{Path(r.source).name}: {r.reason}" for r in failed[:3])
        )


def retry(
    ctx: typer.Context,
    name: NameArgument,
    file: Annotated[
        Path | None, typer.Argument(help="Only this failed file (default: every failed file).")
    ] = None,
    paused: Annotated[
        bool,
        typer.Option(
            "--paused",
            help="Run again the batches the circuit breaker paused (after `calmops resume`).",
        ),
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Run failed files (or chunks) again (a failed run is otherwise never retried)."""
    from calmops.pipeline.chunks import file_of
    from calmops.pipeline.runner import Runner

    ws = workspace(ctx, home)
    path = None if file is None else str(file.absolute())
    with Runner(ws, name) as runner:
        if paused:
            forgotten = _forget_paused(ws, name, path)
        else:
            paths = [path] if path is None else _failed_keys_of(ws, name, path)
            forgotten = [key for each in paths for key in ws.store.runs.forget(name, each)]
        if not forgotten:
            which = f"'{file}'" if file else "any file"
            what = "paused batch" if paused else "failed run"
            raise CalmopsError(f"no {what} of {which} in pipeline '{name}' to retry")
        files = list(dict.fromkeys(Path(file_of(key.path)) for key in forgotten))
        files = [path for path in files if path.exists()]
        results = run_with_progress(runner, files)
    show_results(results, as_json)
    _fail_on_failed(ws, name, results, again=" again")


def _forget_paused(ws, name: str, path: str | None) -> list:
    """The ledger entries of the runs the breaker paused, dropped so they run again; refused
    while the breaker still pauses retraining (they would only be paused once more)."""
    from calmops.pipeline.breaker import is_paused
    from calmops.store import utcnow

    breaker = ws.store.state.breaker(name)
    if is_paused(breaker, utcnow()):
        raise CalmopsError(
            f"the breaker of '{name}' pauses retraining until "
            f"{breaker.retry_at:%Y-%m-%d %H:%M} UTC; run `calmops resume {name}` first"
        )
    paused = [r.id for r in ws.store.runs.list(name, limit=100_000) if r.decision == "paused"]
    return ws.store.runs.forget(name, path, run_ids=paused) if paused else []


def _failed_keys_of(ws, name: str, path: str) -> list[str]:
    """The ledger paths of a file: the file's own and its chunks' (``<path>#rows=...``)."""
    from calmops.pipeline.chunks import file_of

    chunks = {e.file.path for e in ws.store.runs.ledger(name) if file_of(e.file.path) == path}
    return [path, *sorted(chunks - {path})]


def runs(
    ctx: typer.Context,
    name: NameArgument,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Newest N runs.")] = 50,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """List a pipeline's runs, newest first."""
    ws = workspace(ctx, home)
    ws.get(name)
    rows = [_run_row(run) for run in ws.store.runs.list(name, limit=limit)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        err_console().print(f"No runs yet: run `calmops run {name} --once`.")
        return
    from rich.table import Table

    metric = next((r["metric"] for r in rows if r["metric"]), None) or "metric"
    table = Table(box=None, header_style="bold")
    estimated = any(row.get("estimation") for row in rows)
    columns = ("run", "started", "file", "status", "decision", "drift", "champion", metric)
    for column in columns + ((f"estimated {metric}",) if estimated else ()):
        table.add_column(column, no_wrap=True)
    for row in rows:
        value = (row["metrics"] or {}).get(metric)
        extra = (_estimated_cell(row.get("estimation"), metric),) if estimated else ()
        table.add_row(
            row["run_id"],
            local_time(row["started_at"]),
            _shown_source(row),
            row["status"],
            row["decision"] or "—",
            "yes" if row["drift_detected"] else "no",
            "—" if row["champion_version"] is None else f"v{row['champion_version']}",
            "—" if value is None else f"{value:.3f}",
            *extra,
        )
    console().print(table)


def _estimated_cell(estimation: dict[str, Any] | None, metric: str) -> str:
    """The run's estimate of ``metric`` with its interval (``*``: not trusted)."""
    if not estimation or estimation.get("metric") != metric or estimation.get("estimated") is None:
        return "—"
    shown = f"{estimation['estimated']:.3f}"
    if estimation.get("low") is not None and estimation.get("high") is not None:
        shown += f" [{estimation['low']:.3f}, {estimation['high']:.3f}]"
    return shown + ("" if estimation.get("trusted") else " *")


def _shown_source(row: dict[str, Any]) -> str:
    """The file's name (with its chunk), flagged partial or late."""
    if not row["file"]:
        return "—"
    flags = [f for f in ("partial", "late") if (row.get("chunk") or {}).get(f)]
    return Path(row["file"]).name + (f" ({', '.join(flags)})" if flags else "")


def _run_row(run: Any) -> dict[str, Any]:
    summary = run.summary or {}
    return {
        "run_id": run.id,
        "file": run.source,
        "status": run.status,
        "decision": run.decision,
        "drift_detected": bool(summary.get("drift_detected")),
        "champion_version": run.model_version,
        "metric": summary.get("metric"),
        "metrics": summary.get("metrics", {}),
        "signals": summary.get("signals", {}),
        "reason": run.error or summary.get("reason"),
        "period": summary.get("period"),
        "chunk": summary.get("chunk"),
        "estimation": summary.get("estimation"),
        "started_at": run.started_at.isoformat(),
        "finished_at": None if run.finished_at is None else run.finished_at.isoformat(),
    }


def report(
    ctx: typer.Context,
    name: NameArgument,
    run_id: Annotated[
        str | None, typer.Argument(help="Run id (default: the latest run).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Show a run's report: decision and why, signals, challengers, drift, notes."""
    ws = workspace(ctx, home)
    ws.get(name)
    if run_id is None:
        latest = ws.store.runs.latest(name)
        if latest is None:
            raise CalmopsError(f"pipeline '{name}' has no runs yet")
        run_id = latest.id
    record = ws.store.runs.get(name, run_id)
    full = record.report or {}
    if as_json:
        emit_json(full)
        return
    from calmops.cli.report_view import render_report
    from calmops.pipeline.report import RunReport

    render_report(console(), record, RunReport.from_dict(full))


def resume(ctx: typer.Context, name: NameArgument, home: HomeOption = None) -> None:
    """Close the circuit breaker so retraining resumes now."""
    from calmops.store import BreakerState

    ws = workspace(ctx, home)
    ws.get(name)
    before = ws.store.state.breaker(name)
    ws.store.state.set_breaker(name, BreakerState())
    if before.state == "closed" and before.failures == 0:
        console().print(f"'{name}' was not paused; nothing to resume.")
    else:
        console().print(
            f"Resumed '{name}': the breaker was {before.state} after {before.failures} "
            "failures; retraining is allowed again."
        )
    paused = sum(1 for r in ws.store.runs.list(name, limit=100_000) if r.decision == "paused")
    if paused:
        console().print(
            f"{paused} batch{'es' if paused > 1 else ''} of '{name}' "
            f"{'were' if paused > 1 else 'was'} paused: "
            f"`calmops retry {name} --paused` runs them again."
        )
