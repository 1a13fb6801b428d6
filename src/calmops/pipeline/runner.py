"""Running a pipeline: claim a file (or a chunk), pass it through the steps, commit, report.

A run is recorded as ``running`` with its file claimed in the ledger, then the steps run, and
everything it produced is committed in one transaction (``RunOutcome``). A crash before the
commit leaves the file claimed by a run that never finished; the next run of the pipeline
takes it over, so no file is lost and none has two successful runs. The report file under
``metrics/runs/`` is written after the commit. With ``data.chunk`` the pending files are cut
into chunks (``calmops.pipeline.chunks``) and each chunk is a run with the same guarantees.
This module decides what to run (the pass: pending files, chunks, the lease and the lock);
:mod:`calmops.pipeline.single_run` is the body of one run.

A store that stops answering during a run (:class:`StoreUnavailableError`, e.g. PostgreSQL
restarting) is treated as a crash, not as a failure of the run: nothing is committed, the
error goes up to the caller (``calmops run`` fails with it; the monitor waits for the store
and scans again) and the next pass takes the file over, as after a crash. It neither counts
towards the circuit breaker nor leaves a ``failed`` run the user would have to retry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from calmops.errors import CalmopsError, DataFileError
from calmops.io import read_table
from calmops.pipeline.chunks import Chunk, Part, Settled, cut_by_rows, cut_by_time, event_times
from calmops.pipeline.context import RunContext
from calmops.pipeline.files import data_files, file_key
from calmops.pipeline.lease import PipelineLease
from calmops.pipeline.lock import PipelineLock
from calmops.pipeline.log import PipelineLog
from calmops.pipeline.retained import RetainedData
from calmops.pipeline.run_log import discard_orphans
from calmops.pipeline.single_run import (
    BAD_INPUT,
    RunPlace,
    RunResult,
    StepCallback,
    new_run_id,
    run_once,
)
from calmops.pipeline.steps import STEPS
from calmops.store import FileKey
from calmops.workspace import REPORTS, Workspace

__all__ = ["BAD_INPUT", "BatchInfo", "RunResult", "Runner", "new_run_id"]


@dataclass(frozen=True)
class BatchInfo:
    """The batch about to run, for progress displays: a file's name or a chunk's label, its
    place in the pass (1-based ``index`` of ``total``) and its rows when known."""

    label: str
    index: int
    total: int
    rows: int | None = None


BatchCallback = Callable[[BatchInfo], None]


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
        self.lease.check()  # taken over by another host: run nothing more here
        place = RunPlace(self.workspace, self.name, self.paths, self.log)
        return run_once(place, source, key, frame, on_step, chunk=chunk, steps=steps)

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
