"""Running a pipeline: claim a file (or a chunk), pass it through the steps, commit, report.

A run is recorded as ``running`` with its file claimed in the ledger, then the steps run, and
everything it produced is committed in one transaction (``RunOutcome``). A crash before the
commit leaves the file claimed by a run that never finished; the next run of the pipeline
takes it over, so no file is lost and none has two successful runs. The report file under
``metrics/runs/`` is written after the commit. With ``data.chunk`` the pending files are cut
into chunks (``calmops.pipeline.chunks``) and each chunk is a run with the same guarantees.

A store that stops answering during a run (:class:`StoreUnavailableError`, e.g. PostgreSQL
restarting) is treated as a crash, not as a failure of the run: nothing is committed, the
error goes up to the caller (``calmops run`` fails with it; the monitor waits for the store
and scans again) and the next pass takes the file over, as after a crash. It neither counts
towards the circuit breaker nor leaves a ``failed`` run the user would have to retry.
"""

from __future__ import annotations

import json
import os
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
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
from calmops.io import read_table
from calmops.models.registry import ModelRegistry
from calmops.notify.dispatch import notify_run
from calmops.pipeline.breaker import after_failure
from calmops.pipeline.chunks import Chunk, Part, Settled, cut_by_rows, cut_by_time, event_times
from calmops.pipeline.context import RunContext
from calmops.pipeline.files import data_files, file_key
from calmops.pipeline.hooks import Hooks, load_hooks
from calmops.pipeline.kinds import get_kind
from calmops.pipeline.lease import PipelineLease
from calmops.pipeline.lock import PipelineLock
from calmops.pipeline.log import PipelineLog
from calmops.pipeline.outcome import build_outcome
from calmops.pipeline.retained import RetainedData
from calmops.pipeline.retention import after_run
from calmops.pipeline.run_log import discard_orphans
from calmops.pipeline.steps import STEPS
from calmops.pipeline.warnings import collect_warnings
from calmops.store import FileKey, RunRecord, utcnow
from calmops.workspace import REPORTS, Workspace

BAD_INPUT = (DataFileError, DataValidationError, SpecError)
"""Failures of the data or the settings, not of the loop: they never open the breaker (the
next good batch must not be paused because of a bad file)."""

__all__ = ["BatchInfo", "RunResult", "Runner", "new_run_id"]

StepCallback = Callable[[str, int | None], None]  # step about to run, rows of the batch


@dataclass(frozen=True)
class BatchInfo:
    """The batch about to run, for progress displays: a file's name or a chunk's label, its
    place in the pass (1-based ``index`` of ``total``) and its rows when known."""

    label: str
    index: int
    total: int
    rows: int | None = None


BatchCallback = Callable[[BatchInfo], None]


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


def new_run_id() -> str:
    """Time-ordered and unique: ``20261126T041500-1a2b3c4d``."""
    return f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


class Runner:
    """Runs the batches of one pipeline; use as a context manager (it holds the lock)."""

    def __init__(self, workspace: Workspace, name: str, *, lease_wait: float = 0.0) -> None:
        self.workspace = workspace
        self.name = name
        workspace.get(name)
        self.paths = workspace.paths(name)
        settings = workspace.settings
        self.lease = PipelineLease(
            workspace.store,
            name,
            seconds=settings.lease_seconds,
            wait=lease_wait,
            executor=settings.executor,
            node=settings.node,
            host=settings.host,
        )
        self._lock = PipelineLock(self.paths.root, name)
        self.log: PipelineLog | None = None
        self.unreadable: list[Path] = []  # files the last scan could not read

    def __enter__(self) -> Runner:
        self.lease.__enter__()  # every host first, then this host's lock
        try:
            self._lock.__enter__()
        except BaseException:
            self.lease.__exit__(None, None, None)
            raise
        self.log = PipelineLog(self.paths.logs, self.name)
        self._recover()
        return self

    def __exit__(self, *exc) -> None:
        if self.log is not None:
            self.log.close()
        self._lock.__exit__(*exc)
        self.lease.__exit__(*exc)

    # ---- what to run -------------------------------------------------------------------

    def pending(self) -> list[Path]:
        """Data files whose content was not processed yet, oldest first.

        A file the ledger saw with the same path, size and modification time is not hashed
        again; any other file is hashed and compared by content.
        """
        spec = self.workspace.spec(self.name)
        settled = [
            e.file for e in self.workspace.store.runs.ledger(self.name) if e.status != "processing"
        ]
        unchanged = {(f.path, f.size, f.mtime_ns) for f in settled}
        contents = {(f.size, f.sha256) for f in settled}
        pending = []
        self.unreadable = []
        for path in data_files(spec.data.dir, spec.data.patterns, spec.data.recursive):
            try:
                stat = path.stat()
                if (str(path.absolute()), stat.st_size, stat.st_mtime_ns) in unchanged:
                    continue
                key = file_key(path)
            except OSError as error:  # one unreadable file must not hide the others
                self.unreadable.append(path)
                self.log.event(
                    "warning",
                    "file_unreadable",
                    f"cannot read {path}: {error.strerror or error}; skipped",
                )
                continue
            if (key.size, key.sha256) not in contents:
                pending.append(path)
        return pending

    def run_pending(
        self, on_step: StepCallback | None = None, on_batch: BatchCallback | None = None
    ) -> list[RunResult]:
        """Run every pending file (or, with ``data.chunk``, every chunk of them) in order; a
        failed batch does not stop the others."""
        return self.run_files(self.pending(), on_step=on_step, on_batch=on_batch)

    def run_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        on_step: StepCallback | None = None,
        on_batch: BatchCallback | None = None,
        chunked: bool = True,
    ) -> list[RunResult]:
        """Run these files in order: one run each, or their chunks with ``data.chunk``
        (unless ``chunked`` is False: served traffic is one batch whatever the spec says)."""
        paths = [Path(path) for path in paths]
        if chunked and self.workspace.spec(self.name).data.chunk is not None:
            return self.run_chunks(paths, on_step=on_step, on_batch=on_batch)
        results = []
        for index, path in enumerate(paths, 1):
            if on_batch is not None:
                on_batch(BatchInfo(path.name, index, len(paths)))
            results.append(self.run_file(path, on_step=on_step))
        return results

    def run_chunks(
        self,
        paths: Iterable[str | os.PathLike[str]],
        on_step: StepCallback | None = None,
        on_batch: BatchCallback | None = None,
    ) -> list[RunResult]:
        """Read these files, cut the rows not run yet into chunks (``data.chunk``), run each.

        A file that cannot be read, or has no time column, is recorded as a failed run of its
        own (so is one whose time column holds a value that is not a date); rows with an
        empty time are left out with a warning in the log.
        """
        chunking = self.workspace.spec(self.name).data.chunk
        paths = [Path(path) for path in paths]
        parts, results = [], []
        for path in paths:
            part = self._read_part(path, results)
            if part is not None:
                parts.append(part)
        settled = Settled.from_ledger(self.workspace.store.runs.ledger(self.name))
        if chunking.by == "time":
            chunks = cut_by_time(parts, pd.Timedelta(chunking.every), settled)
        else:
            chunks = cut_by_rows(parts, chunking.size, settled)
        for index, chunk in enumerate(chunks, 1):
            if on_batch is not None:
                on_batch(BatchInfo(chunk.section.label, index, len(chunks), len(chunk.frame)))
            results.append(
                self._run(Path(chunk.source), chunk.claims, chunk.frame, on_step, chunk=chunk)
            )
        return results

    def _read_part(self, path: Path, results: list[RunResult]) -> Part | None:
        """One pending file read for chunking; a file that cannot be is recorded as failed."""
        spec = self.workspace.spec(self.name)
        try:
            key = file_key(path)
        except OSError as error:  # vanished or unreadable: it is pending again next pass
            self.log.event("warning", "file_unreadable", f"cannot read {path}: {error}; skipped")
            return None
        try:
            frame = read_table(path)
            times = None
            if spec.data.chunk.by == "time":
                times = event_times(frame, spec.data.time_column, path)
                if len(frame) and times.isna().all():
                    raise DataFileError(
                        path, f"has no readable time in column {spec.data.time_column!r}"
                    )
        except CalmopsError as error:
            results.append(self._run(path, key, None, None, steps=(("load", _fail(error)),)))
            return None
        missing = 0 if times is None else int(times.isna().sum())
        if missing:
            self.log.event(
                "warning",
                "rows_without_time",
                f"{missing:,} rows of {path.name} have no time in "
                f"{spec.data.time_column!r}; left out of the chunks",
            )
        return Part(path, key, frame, times)

    # ---- one run -----------------------------------------------------------------------

    def run_file(
        self,
        path: str | os.PathLike[str],
        on_step: StepCallback | None = None,
        also: tuple[FileKey, ...] = (),
    ) -> RunResult:
        """Run one file; returns ``skipped`` if this exact content was processed before.

        ``also``: more files the run claims in the ledger with it (e.g. the labels file a
        labelled batch was made from), so none of them runs twice either."""
        path = Path(path)
        try:
            key = file_key(path)
        except FileNotFoundError:
            raise  # vanished: callers that watch folders expect this one as it is
        except OSError as error:
            raise DataFileError(path, f"cannot be read ({error.strerror or error})") from None
        claims = [key, *also] if also else key
        return self._run(source=path, key=claims, frame=None, on_step=on_step)

    def run_frame(self, frame: pd.DataFrame, on_step: StepCallback | None = None) -> RunResult:
        """Run an in-memory batch (served traffic, a test) without a ledger entry."""
        return self._run(source=None, key=None, frame=frame, on_step=on_step)

    def _run(self, source, key, frame, on_step, *, chunk: Chunk | None = None, steps=STEPS):
        store = self.workspace.store
        spec = self.workspace.spec(self.name)
        self.lease.check()  # taken over by another host: run nothing more here
        run_id = new_run_id()
        started = utcnow()
        claimed = store.runs.begin(
            RunRecord(run_id, self.name, "running", started_at=started, source=_shown(source)),
            key,
        )
        if not claimed:
            return RunResult(
                None, _shown(source), "skipped", reason="this content was processed before"
            )
        ctx = RunContext(
            run_id=run_id,
            spec=spec,
            kind=get_kind(spec.kind),
            paths=self.paths,
            store=store,
            registry=ModelRegistry(store, self.name, self.paths.artifacts.child("models")),
            retained=RetainedData(store, self.name, self.paths.artifacts.child("data")),
            hooks=Hooks(),  # loaded inside the run, so a broken hooks file fails the run
            started_at=started,
            source=source,
            file=key[0] if isinstance(key, list) else key,
            frame=frame,
            breaker=store.state.breaker(self.name),
            period=None if chunk is None else chunk.period,
            chunk=None if chunk is None else chunk.section,
        )
        error, bad_input = None, False
        try:
            ctx.hooks = load_hooks(spec.hooks)
            for name, step in steps:
                if on_step is not None:
                    on_step(name, None if ctx.frame is None else len(ctx.frame))
                began = time.perf_counter()
                with collect_warnings() as caught:
                    note = step(ctx)
                ctx.timings[name] = time.perf_counter() - began
                ctx.notes.extend(f"warning while {name}: {text}" for text in caught)
                self.log.event("debug", "step", f"{run_id} {name}: {note}", run_id=run_id)
        except StoreUnavailableError as failure:  # not the run's fault: it is done again
            self.log.event("error", "store_unavailable", f"run {run_id}: {failure}", run_id=run_id)
            raise
        except CalmopsError as failure:
            error, bad_input = str(failure), isinstance(failure, BAD_INPUT)
        except OSError as failure:  # the machine, not the loop: a full disk, a lost folder
            error = _os_error_text(failure, self.name)
        except Exception as failure:  # the boundary of a run: record it, keep the loop going
            error = f"internal error: {type(failure).__name__}: {failure}"
            self.log.event("error", "traceback", traceback.format_exc(), run_id=run_id)
        if error is not None and spec.breaker.count_errors and not bad_input:
            ctx.new_breaker = after_failure(ctx.breaker, spec.breaker, ctx.started_at)
        outcome = build_outcome(ctx, "failed" if error else "succeeded", error)
        try:
            store.runs.finish(outcome)
        except RunTakenOverError as taken:  # fenced: the lease holder now runs the file
            self.log.event("warning", "run_taken_over", str(taken), run_id=run_id)
            return RunResult(run_id, _shown(source), "skipped", None, str(taken))
        self._after_commit(ctx, outcome.run.report, error)
        notify_run(self.workspace, outcome.run, self.log)  # its alerts, once; never raises
        return RunResult(
            run_id,
            _shown(source),
            outcome.run.status,
            outcome.run.decision,
            error or (ctx.decision.reason if ctx.decision else None),
            ctx.champion_after,
            None if ctx.frame is None else len(ctx.frame),
        )

    def _after_commit(self, ctx: RunContext, report: dict, error: str | None) -> None:
        try:  # the store holds the run already; the file is a copy for people and tools
            self.paths.artifacts.put(
                f"{REPORTS}/{ctx.run_id}.json",
                json.dumps(report, indent=2, default=str).encode("utf-8"),
            )
        except OSError as failure:
            self.log.event(
                "error",
                "report_not_written",
                f"run {ctx.run_id}: its report file was not written "
                f"({_os_error_text(failure, self.name)}); "
                f"`calmops report {self.name} {ctx.run_id}` reads it from the store",
                run_id=ctx.run_id,
            )
        where = _shown(ctx.source) or "in-memory batch"
        if error:
            self.log.event(
                "error",
                "run_failed",
                f"run {ctx.run_id} on {where} failed: {error}",
                run_id=ctx.run_id,
            )
        else:
            self.log.event(
                "warning" if ctx.decision.kind == "alert" else "info",
                "run",
                f"run {ctx.run_id} on {where}: {ctx.decision.kind} — {ctx.decision.reason}",
                run_id=ctx.run_id,
                decision=ctx.decision.kind.value,
            )
            for challenger in ctx.challengers:
                self.log.event(
                    "info",
                    "challenger",
                    f"v{challenger.version.version}: {challenger.reason}",
                    run_id=ctx.run_id,
                )
            if ctx.challengers:
                registry = ModelRegistry(ctx.store, self.name, self.paths.artifacts.child("models"))
                for number in registry.prune(ctx.spec.promotion.keep_versions):
                    self.paths.artifacts.delete(f"reference/v{number}")  # its profiles too
        self._prune_runs(ctx)

    def _prune_runs(self, ctx: RunContext) -> None:
        """Retention: a few old runs leave the store and the folder (``retention``)."""
        try:
            pruned = after_run(ctx.store, self.name, self.paths, ctx.spec.retention)
        except (CalmopsError, OSError) as failure:  # the run is committed; the next one prunes
            self.log.event(
                "warning", "prune_failed", f"old runs not pruned: {failure}", run_id=ctx.run_id
            )
            return
        if pruned.runs:
            note = f"pruned {len(pruned.runs)} old run(s), {len(pruned.files)} file(s)"
            self.log.event("debug", "pruned", note, run_id=ctx.run_id)

    def _recover(self) -> None:
        """Finish what a crash left: missing report files, retained data and prediction logs
        of lost runs."""
        store = self.workspace.store
        artifacts = self.paths.artifacts
        for run in store.runs.list(self.name, limit=20):
            key = f"{REPORTS}/{run.id}.json"
            if run.status != "running" and not artifacts.exists(key):
                full = store.runs.get(self.name, run.id)
                if full.report is not None:
                    text = json.dumps(full.report, indent=2, default=str)
                    artifacts.put(key, text.encode("utf-8"))
        RetainedData(store, self.name, artifacts.child("data")).discard_orphans()
        discard_orphans(store, self.name, self.paths.root)


def _fail(error: CalmopsError):
    """A load step that fails with ``error`` (a file refused before its chunks were cut)."""

    def load(ctx: RunContext) -> str:
        raise error

    return load


def _shown(source: Path | None) -> str | None:
    return None if source is None else str(source)


def _os_error_text(failure: OSError, pipeline: str) -> str:
    """An ``OSError`` of a run as a sentence: what, where, and what to do for a full disk."""
    import errno

    where = f" ({failure.filename})" if failure.filename else ""
    text = f"{failure.strerror or failure}{where}"
    if failure.errno == errno.ENOSPC:
        text += f": free some space, then `calmops retry {pipeline}`; the champion is unchanged"
    return text
