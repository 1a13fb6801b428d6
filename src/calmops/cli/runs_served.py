"""``calmops run NAME --served``: monitor the traffic ``calmops serve`` logged, and record
the feedback labels received so far on the runs that monitored their rows."""

from __future__ import annotations

from pathlib import Path

import typer

from calmops.cli.output import emit_json, err_console, workspace
from calmops.cli.run_results import run_with_progress, show_results
from calmops.errors import CalmopsError

__all__ = ["run_served"]


def run_served(ctx: typer.Context, name: str | None, as_json: bool, home: Path | None) -> None:
    """``calmops run NAME --served``: monitor the traffic the server logged, once.

    The logged rows not yet monitored become one batch (see ``calmops.server.traffic``) that
    runs through the loop like a file: drift against the reference, and performance when
    feedback labelled every row.
    """
    if name is None:
        raise typer.BadParameter("--served takes one pipeline NAME")
    from calmops.pipeline.runner import Runner
    from calmops.server.predictions import pull_logs
    from calmops.server.traffic import buffered_rows, collect_served, served_batches

    ws = workspace(ctx, home)
    with Runner(ws, name) as runner:
        pull_logs(runner.paths.root, runner.paths.store)  # other hosts' logs, if shared
        data = ws.spec(name).data
        batch = collect_served(runner.paths.root, data.target, data.id_columns, data.time_column)
        done = {e.file.path for e in ws.store.runs.ledger(name) if e.status != "processing"}
        pending = [p for p in served_batches(runner.paths.root) if str(p.absolute()) not in done]
        buffered, seconds = buffered_rows(runner.paths.root)
        waiting = (
            f"{buffered:,} served rows are still buffered by `calmops serve` (written within "
            f"{seconds:g} s of their prediction, and on shutdown): run again then to include them."
        )
        if not pending:
            if as_json:
                emit_json([])
            elif buffered:
                err_console().print(f"No served traffic written yet for '{name}': {waiting}")
            else:
                err_console().print(
                    f"No served traffic to monitor for '{name}' "
                    "(is `calmops serve` running, and has it been asked for predictions?)."
                )
            if not as_json:
                _show_realized(ws, name)  # feedback that came since the last run lands
            return
        if buffered and not as_json:
            err_console().print(f"[yellow]note:[/] {waiting}")
        if batch is not None and not as_json:
            labels = (
                "labelled by feedback"
                if batch.labelled == batch.rows
                else f"unlabelled ({batch.labelled:,} of {batch.rows:,} rows have feedback)"
            )
            err_console().print(f"Served traffic: {batch.rows:,} rows, {labels}.")
        results = run_with_progress(runner, pending, chunked=False)
    show_results(results, as_json)
    if not as_json:
        _show_realized(ws, name)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise CalmopsError(f"the served batch failed: {failed[0].reason}")


def _show_realized(ws, name: str) -> None:
    """The feedback labels received so far, recorded on the runs that monitored their rows
    (beside each run's estimate); rows no run covered yet per model version."""
    from calmops.server.served_realized import feedback_labels, land_served_labels

    if ws.store.models.aliases(name).get("champion") is None:
        return
    root = ws.paths(name).root
    target = ws.spec(name).data.target or "target"
    table = feedback_labels(root, target)
    if table is None:
        err_console().print(
            f"No feedback labels yet: POST /feedback/{name}, or a labels file with "
            f"`calmops labels {name} FILE --key request_id --key row`."
        )
        return
    keys = ["_calmops_request_id", "_calmops_row"]  # the log's names of request_id, row
    found = land_served_labels(
        ws, name, table, keys, target, "feedback (POST /feedback)", as_feedback=False
    )
    for run in found["runs"]:
        value = run["metrics"].get(run["metric"])
        shown = "—" if value is None else f"{value:.3f}"
        err_console().print(
            f"Realized on run {run['run_id']} (served traffic, {run['matched']:,} of "
            f"{run['logged']:,} rows with feedback): {run['metric']} {shown}"
        )
    for version, metrics in sorted(found["served"].items()):
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        err_console().print(f"Realized on served traffic in no run yet, v{version}: {shown}")
