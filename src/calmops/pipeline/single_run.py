"""One run of a pipeline: begin it (claiming its file in the ledger), pass it through the
steps, commit everything it produced in one transaction, then write its report and log it.

The run's boundary is here: a step's :class:`CalmopsError`, ``OSError`` or any other error
fails the run (recorded with its message) and the loop goes on; a
:class:`StoreUnavailableError` is not the run's fault and goes up to the caller, with
nothing committed (see :mod:`calmops.pipeline.runner`).
"""

from __future__ import annotations

import errno
import json
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from calmops.errors import (
    CalmopsError,
    DataFileError,
    DataValidationError,
    RunTakenOverError,
    SpecError,
    StoreUnavailableError,
)
from calmops.models.registry import ModelRegistry
from calmops.notify.dispatch import notify_run
from calmops.pipeline.breaker import after_failure
from calmops.pipeline.chunks import Chunk
from calmops.pipeline.context import RunContext
from calmops.pipeline.hooks import Hooks, load_hooks
from calmops.pipeline.kinds import get_kind
from calmops.pipeline.log import PipelineLog
from calmops.pipeline.outcome import build_outcome
from calmops.pipeline.retained import RetainedData
from calmops.pipeline.retention import after_run
from calmops.pipeline.steps import STEPS
from calmops.pipeline.warnings import collect_warnings
from calmops.spec import PipelineSpec
from calmops.store import FileKey, RunOutcome, RunRecord, utcnow
from calmops.workspace import REPORTS, PipelinePaths, Workspace

BAD_INPUT = (DataFileError, DataValidationError, SpecError)
"""Failures of the data or the settings, not of the loop: they never open the breaker (the
next good batch must not be paused because of a bad file)."""

__all__ = ["BAD_INPUT", "RunPlace", "RunResult", "new_run_id", "run_once"]

StepCallback = Callable[[str, int | None], None]  # step about to run, rows of the batch


@dataclass(frozen=True)
class RunResult:
    """How one file went: ``succeeded``, ``failed`` or ``skipped`` (already processed)."""

    run_id: str | None
    source: str | None
    status: str
    decision: str | None = None
    reason: str | None = None
    champion_version: int | None = None
    rows: int | None = None


@dataclass(frozen=True)
class RunPlace:
    """Where a run happens: the workspace, the pipeline, its folders and its log."""

    workspace: Workspace
    name: str
    paths: PipelinePaths
    log: PipelineLog


def new_run_id() -> str:
    """Time-ordered and unique: ``20261126T041500-1a2b3c4d``."""
    return f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def run_once(
    place: RunPlace,
    source: Path | None,
    key: FileKey | list[FileKey] | None,
    frame: pd.DataFrame | None,
    on_step: StepCallback | None,
    *,
    chunk: Chunk | None = None,
    steps=STEPS,
) -> RunResult:
    """Begin a run of ``source`` (claiming ``key``), run ``steps``, commit, report after.

    ``skipped`` when the content was processed before, or when another holder of the
    pipeline's lease took the file over before the commit.
    """
    spec = place.workspace.spec(place.name)
    run_id = new_run_id()
    started = utcnow()
    claimed = place.workspace.store.runs.begin(
        RunRecord(run_id, place.name, "running", started_at=started, source=_shown(source)),
        key,
    )
    if not claimed:
        return RunResult(
            None, _shown(source), "skipped", reason="this content was processed before"
        )
    ctx = _context(place, spec, run_id, started, source, key, frame, chunk)
    error, bad_input = _run_steps(place, ctx, steps, on_step)
    if error is not None and spec.breaker.count_errors and not bad_input:
        ctx.new_breaker = after_failure(ctx.breaker, spec.breaker, ctx.started_at)
    outcome = build_outcome(ctx, "failed" if error else "succeeded", error)
    try:
        ctx.store.runs.finish(outcome)
    except RunTakenOverError as taken:  # fenced: the lease holder now runs the file
        place.log.event("warning", "run_taken_over", str(taken), run_id=run_id)
        return RunResult(run_id, _shown(source), "skipped", None, str(taken))
    _after_commit(place, ctx, outcome.run.report, error)
    notify_run(place.workspace, outcome.run, place.log)  # its alerts, once; never raises
    return _result(ctx, outcome, error)


def _context(
    place: RunPlace, spec: PipelineSpec, run_id, started, source, key, frame, chunk: Chunk | None
) -> RunContext:
    """The context a run's steps share, before its first step."""
    store = place.workspace.store
    artifacts = place.paths.artifacts
    return RunContext(
        run_id=run_id,
        spec=spec,
        kind=get_kind(spec.kind),
        paths=place.paths,
        store=store,
        registry=ModelRegistry(store, place.name, artifacts.child("models")),
        retained=RetainedData(store, place.name, artifacts.child("data")),
        hooks=Hooks(),  # loaded inside the run, so a broken hooks file fails the run
        started_at=started,
        source=source,
        file=key[0] if isinstance(key, list) else key,
        frame=frame,
        breaker=store.state.breaker(place.name),
        period=None if chunk is None else chunk.period,
        chunk=None if chunk is None else chunk.section,
    )


def _run_steps(
    place: RunPlace, ctx: RunContext, steps, on_step: StepCallback | None
) -> tuple[str | None, bool]:
    """Run the steps in order; returns the run's error (None if it succeeded) and whether
    the error was bad input. A store that stops answering is raised, not returned."""
    run_id = ctx.run_id
    try:
        ctx.hooks = load_hooks(ctx.spec.hooks)
        for name, step in steps:
            if on_step is not None:
                on_step(name, None if ctx.frame is None else len(ctx.frame))
            began = time.perf_counter()
            with collect_warnings() as caught:
                note = step(ctx)
            ctx.timings[name] = time.perf_counter() - began
            ctx.notes.extend(f"warning while {name}: {text}" for text in caught)
            place.log.event("debug", "step", f"{run_id} {name}: {note}", run_id=run_id)
    except StoreUnavailableError as failure:  # not the run's fault: it is done again
        place.log.event("error", "store_unavailable", f"run {run_id}: {failure}", run_id=run_id)
        raise
    except CalmopsError as failure:
        return str(failure), isinstance(failure, BAD_INPUT)
    except OSError as failure:  # the machine, not the loop: a full disk, a lost folder
        return _os_error_text(failure, place.name), False
    except Exception as failure:  # the boundary of a run: record it, keep the loop going
        place.log.event("error", "traceback", traceback.format_exc(), run_id=run_id)
        return f"internal error: {type(failure).__name__}: {failure}", False
    return None, False


def _result(ctx: RunContext, outcome: RunOutcome, error: str | None) -> RunResult:
    """What the caller learns of a committed run."""
    return RunResult(
        ctx.run_id,
        _shown(ctx.source),
        outcome.run.status,
        outcome.run.decision,
        error or (ctx.decision.reason if ctx.decision else None),
        ctx.champion_after,
        None if ctx.frame is None else len(ctx.frame),
    )


def _after_commit(place: RunPlace, ctx: RunContext, report: dict, error: str | None) -> None:
    """The run is committed: write its report file, log it, prune old versions and runs."""
    _write_report(place, ctx.run_id, report)
    where = _shown(ctx.source) or "in-memory batch"
    log = place.log
    if error:
        log.event(
            "error",
            "run_failed",
            f"run {ctx.run_id} on {where} failed: {error}",
            run_id=ctx.run_id,
        )
    else:
        log.event(
            "warning" if ctx.decision.kind == "alert" else "info",
            "run",
            f"run {ctx.run_id} on {where}: {ctx.decision.kind} — {ctx.decision.reason}",
            run_id=ctx.run_id,
            decision=ctx.decision.kind.value,
        )
        for challenger in ctx.challengers:
            log.event(
                "info",
                "challenger",
                f"v{challenger.version.version}: {challenger.reason}",
                run_id=ctx.run_id,
            )
        if ctx.challengers:
            _prune_versions(place, ctx)
    _prune_runs(place, ctx)


def _write_report(place: RunPlace, run_id: str, report: dict) -> None:
    """The run's report file; the store holds the run already, the file is a copy for people
    and tools, so failing to write it is logged, not raised."""
    try:
        place.paths.artifacts.put(
            f"{REPORTS}/{run_id}.json",
            json.dumps(report, indent=2, default=str).encode("utf-8"),
        )
    except OSError as failure:
        place.log.event(
            "error",
            "report_not_written",
            f"run {run_id}: its report file was not written "
            f"({_os_error_text(failure, place.name)}); "
            f"`calmops report {place.name} {run_id}` reads it from the store",
            run_id=run_id,
        )


def _prune_versions(place: RunPlace, ctx: RunContext) -> None:
    """Old model versions beyond ``promotion.keep_versions`` go, with their profiles."""
    registry = ModelRegistry(ctx.store, place.name, place.paths.artifacts.child("models"))
    for number in registry.prune(ctx.spec.promotion.keep_versions):
        place.paths.artifacts.delete(f"reference/v{number}")  # its profiles too


def _prune_runs(place: RunPlace, ctx: RunContext) -> None:
    """Retention: a few old runs leave the store and the folder (``retention``)."""
    try:
        pruned = after_run(ctx.store, place.name, place.paths, ctx.spec.retention)
    except (CalmopsError, OSError) as failure:  # the run is committed; the next one prunes
        place.log.event(
            "warning", "prune_failed", f"old runs not pruned: {failure}", run_id=ctx.run_id
        )
        return
    if pruned.runs:
        note = f"pruned {len(pruned.runs)} old run(s), {len(pruned.files)} file(s)"
        place.log.event("debug", "pruned", note, run_id=ctx.run_id)


def _shown(source: Path | None) -> str | None:
    return None if source is None else str(source)


def _os_error_text(failure: OSError, pipeline: str) -> str:
    """An ``OSError`` of a run as a sentence: what, where, and what to do for a full disk."""
    where = f" ({failure.filename})" if failure.filename else ""
    text = f"{failure.strerror or failure}{where}"
    if failure.errno == errno.ENOSPC:
        text += f": free some space, then `calmops retry {pipeline}`; the champion is unchanged"
    return text
