"""``calmops labels NAME FILE --key COLUMN``: labels that arrived after their batch ran.

The labels are joined to the per-run prediction logs (``predictions/runs/``) by the key
columns, and to the served-predictions log by ``--key request_id`` (add ``--key row`` for
requests of several rows). Each run with matches gets its realized metrics in the store and a
``realized`` section in its report; its labelled rows are kept as training data, or, with
``--run``, run through the loop as one labelled batch. Served rows get the labels as feedback
(as ``POST /feedback`` would), with the realized metrics per model version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from calmops.cli.output import HomeOption, JsonOption, NameArgument, emit_json, err_console
from calmops.cli.output import workspace as open_workspace
from calmops.errors import CalmopsError, DataValidationError

__all__ = ["register"]

SERVED_KEYS = {"request_id": "_calmops_request_id", "row": "_calmops_row"}


def register(app: typer.Typer) -> None:
    app.command("labels")(labels)


def labels(
    ctx: typer.Context,
    name: NameArgument,
    file: Annotated[Path, typer.Argument(help="Labels file (any supported format).")],
    key: Annotated[
        list[str],
        typer.Option("--key", help="Column joining labels to predictions (repeatable)."),
    ],
    target: Annotated[
        str | None, typer.Option("--target", help="Label column (default: data.target).")
    ] = None,
    run: Annotated[
        bool, typer.Option("--run", help="Run the labelled rows through the loop as a batch.")
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Join labels that arrived later to the logged predictions: realized metrics per run."""
    from calmops.io import read_table
    from calmops.pipeline.runner import Runner

    ws = open_workspace(ctx, home)
    spec = ws.spec(name)
    target = target or spec.data.target
    if not target:
        raise CalmopsError(
            f"pipeline '{name}' has no data.target: name the label column (--target)"
        )
    table = read_table(file)
    missing = [c for c in (*key, target) if c not in table.columns]
    if missing:
        raise DataValidationError(
            f"{file} has no column {', '.join(map(repr, missing))} "
            f"(its columns: {', '.join(map(str, table.columns[:20]))})"
        )
    out_target = spec.data.target or target
    if out_target != target:
        table = table.drop(columns=[out_target], errors="ignore").rename(
            columns={target: out_target}
        )
    with Runner(ws, name) as runner:
        earlier = _ran_before(ws, name, file) if run else None
        if earlier is not None:
            _show_earlier(earlier, file, as_json)
            return
        result = _join(ws, name, runner, table, list(key), out_target, file, run)
    _show(result, list(key), as_json)


def _ran_before(ws, name: str, file: Path) -> dict[str, Any] | None:
    """The earlier ``--run`` of this very labels file (by content), from the ledger."""
    from calmops.pipeline.files import file_key
    from calmops.pipeline.labelled_batch import describe_earlier, ran_before

    entry = ran_before(ws.store, name, file_key(file))
    return None if entry is None else describe_earlier(ws.store, name, entry)


def _show_earlier(earlier: dict[str, Any], file: Path, as_json: bool) -> None:
    if as_json:
        emit_json({"already_run": earlier, "runs": [], "batch": None})
        return
    how = earlier["status"] or "unknown"
    if earlier["status"] == "succeeded":
        how += f", {earlier['decision']}"
    text = (
        f"these labels ({file.name}, same content) were already joined and run as run "
        f"{earlier['run_id']} ({how}) at {earlier['at']}: nothing to do"
    )
    if earlier["status"] == "failed":
        text += f"; it failed: {earlier['error']} (`calmops retry` runs it again)"
    err_console().print(text)


def _join(ws, name, runner, table, keys, target, file, run) -> dict[str, Any]:
    from calmops.pipeline.labels import join_labels
    from calmops.pipeline.run_log import committed_logs

    shown = str(file)
    served_keys = [k for k in keys if k in SERVED_KEYS]
    if served_keys:
        if served_keys != keys:
            raise CalmopsError("--key request_id (and row) cannot be mixed with other keys")
        return _join_served(ws, name, table, keys, target, shown, run)
    logs = committed_logs(ws.store, name, runner.paths.root)
    joined = join_labels(table, keys, target, logs)
    _check_matches(joined, keys, bool(logs))
    runs = [
        _apply(ws, name, m, table, keys, target, shown, run, joined.duplicates) for m in joined.runs
    ]
    batch = _run_batch(ws, name, runner, runs, keys, file) if run else None
    return {
        "labels": joined.labels,
        "duplicates": joined.duplicates,
        "matched": joined.matched,
        "unmatched": joined.unmatched,
        "unmatched_examples": joined.unmatched_examples,
        "runs": [r["summary"] for r in runs],
        "batch": batch,
    }


def _check_matches(joined, keys: list[str], any_logs: bool) -> None:
    """No match at all is an error naming the key and showing both sides; some is a warning."""
    if joined.labels and joined.matched == 0:
        where = (
            f"logged keys look like: {joined.logged_examples}"
            if joined.logged_examples
            else "no run logged predictions with these columns"
            if any_logs
            else "no run has a prediction log yet (log_predictions, predictions/runs/)"
        )
        raise CalmopsError(
            f"no label matched a logged prediction by {', '.join(keys)}: labels look like "
            f"{joined.unmatched_examples}; {where}"
        )


def _apply(ws, name, match, table, keys, target, shown, run, duplicates) -> dict[str, Any]:
    from calmops.pipeline.realized import labelled_source_rows, record_realized, retain_rows

    section = record_realized(ws, name, match, shown, keys, target, duplicates)
    source = ws.store.runs.get(name, match.run_id).source
    summary = {
        "run_id": match.run_id,
        "source": source,
        "matched": match.matched,
        "logged": match.logged,
        "model_version": section.model_version,
        "metric": section.metric,
        "metrics": section.metrics,
        "retained": 0,
    }
    frame, note = None, None
    try:
        frame = labelled_source_rows(ws, name, match.run_id, table, keys, target)
        if not run:
            summary["retained"] = retain_rows(ws, name, match.run_id, frame, target)
    except CalmopsError as error:
        note = str(error)
    summary["note"] = note
    return {"summary": summary, "frame": frame}


def _run_batch(ws, name, runner, runs, keys: list[str], file: Path) -> dict[str, Any] | None:
    """Run the labelled rows no earlier labelled batch ran, as a file the ledger claims
    together with the labels file (see ``calmops.pipeline.labelled_batch``)."""
    import pandas as pd

    from calmops.pipeline.files import file_key
    from calmops.pipeline.labelled_batch import not_run_yet, ran_batches, write_batch

    frames = [r["frame"] for r in runs if r["frame"] is not None and len(r["frame"])]
    if not frames:
        return None
    root = runner.paths.root
    ran = ran_batches(ws.store, name, root)
    frame, already = not_run_yet(pd.concat(frames, ignore_index=True), keys, ran)
    out = {"run_id": None, "rows": 0, "decision": None, "already_run_rows": already}
    if not len(frame):
        return out
    labels = file_key(file)
    result = runner.run_file(write_batch(root, file, labels, frame), also=(labels,))
    if result.status == "failed":
        raise CalmopsError(f"the labelled batch failed: {result.reason}")
    return out | {
        "run_id": result.run_id,
        "rows": result.rows,
        "decision": result.decision,
        "file": result.source,
    }


def _join_served(ws, name, table, keys, target, shown, run) -> dict[str, Any]:
    """Labels by request id: each run that monitored the served rows gets its realized
    metrics (as a run log join does); rows no run covered yet are reported per version."""
    from calmops.server.served_realized import land_served_labels

    log_keys = [SERVED_KEYS[k] for k in keys]
    summary = land_served_labels(ws, name, table, log_keys, target, shown)
    if summary["labels"] and not summary["matched"]:
        raise CalmopsError(
            f"no label matched a served prediction by {', '.join(keys)}: labels look like "
            f"{summary['unmatched_examples']}; the log holds "
            f"{summary['logged_examples'] or 'nothing'}"
        )
    note = None
    if run:
        note = (
            "--run applies to labels joined by id columns: served traffic runs through the "
            "loop with `calmops run NAME --served` (the labels are its feedback now)"
        )
    return summary | {"batch": None, "note": note}


def _show(result: dict[str, Any], keys: list[str], as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    out = err_console()
    out.print(
        f"{result['labels']:,} labels, {result['matched']:,} matched logged predictions"
        + (
            f", {result['duplicates']:,} duplicate keys (the last label counts)"
            if result["duplicates"]
            else ""
        )
    )
    for run in result.get("runs", []):
        metrics = dict(run["metrics"])
        first = metrics.pop(run["metric"], None)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        lead = "" if first is None else f"{run['metric']} {first:.3f} "
        where = Path(run["source"]).name if run["source"] else "in-memory batch"
        out.print(
            f"run {run['run_id']} ({where}, v{run['model_version']}): {run['matched']:,} of "
            f"{run['logged']:,} rows labelled; realized {lead}({shown})"
        )
        if run["retained"]:
            out.print(f"  kept {run['retained']:,} labelled rows as training data")
        if run.get("note"):
            out.print(f"  [yellow]note:[/] {run['note']}")
    unmonitored = result.get("unmonitored") or {}
    if unmonitored.get("rows"):
        out.print(
            f"{unmonitored['rows']:,} labelled served rows are in no run yet "
            f"({'; '.join(unmonitored['where'])})"
        )
    for version, metrics in sorted(result.get("served", {}).items()):
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        out.print(f"  served traffic in no run, v{version}: realized {shown}")
    if result.get("note"):
        out.print(f"[yellow]note:[/] {result['note']}")
    if result["unmatched"]:
        out.print(
            f"[yellow]warning:[/] {result['unmatched']:,} labels matched no logged prediction "
            f"by {', '.join(keys)}, e.g. {result['unmatched_examples']}"
        )
    batch = result.get("batch")
    if batch and batch["already_run_rows"]:
        out.print(
            f"{batch['already_run_rows']:,} labelled rows were run by an earlier labelled "
            "batch: not run again"
        )
    if batch and batch["run_id"]:
        out.print(
            f"ran the {batch['rows']:,} newly labelled rows as run {batch['run_id']}: "
            f"{batch['decision']}"
        )
    elif batch:
        out.print("no newly labelled rows to run")
