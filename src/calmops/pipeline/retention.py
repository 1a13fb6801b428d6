"""Run retention: a pipeline's old runs leave the store, and their files leave its folder.

After each run commits, the runner prunes what ``retention`` (``keep_runs``, ``keep_days``)
puts beyond the kept window, at most :data:`PER_RUN` runs at a time, so the work per run is
bounded; ``calmops runs prune`` does the rest at once. The store removes the runs with their
metric and drift rows (see :meth:`calmops.store.base.RunRepo.prune` for the runs it always
keeps: the ledger, the runs that trained a model version, what ``retry`` still needs, running
ones); then their files go: the report (``metrics/runs/<id>.json``) and the prediction log
(``predictions/runs/<id>.parquet``: labels arriving later are no longer joined to a pruned
run). What the pipeline learns from stays: the retained training rows (``data/``) and the
performance baseline of a pruned run that succeeded are kept (they have their own caps), so
pruning never changes a retraining or a drift decision; those files of a run that did not
succeed, never read, go with it.

Files named by run id are read only when their run committed (:func:`committed`): its run
succeeded, or is no longer in the store (a pruned run that succeeded; one that did not had
its files removed with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calmops.pipeline.run_log import runs_folder
from calmops.spec import RetentionSpec
from calmops.store import RunRecord, Store
from calmops.workspace import PipelinePaths

__all__ = ["PER_RUN", "Pruned", "committed", "cutoff", "prune_runs", "sweep_reports"]

PER_RUN = 100
"""Runs pruned at most after one run (catching up after a lower ``keep_runs`` takes a few
runs instead of one long transaction)."""


@dataclass(frozen=True)
class Pruned:
    """What pruning removed (or, with ``dry_run``, would remove): runs and files."""

    runs: tuple[RunRecord, ...]
    files: tuple[Path, ...]
    dry_run: bool = False


def cutoff(days: float | None, now: datetime | None = None) -> datetime | None:
    """The start time before which runs are too old for ``days`` (None: no age limit).

    Examples
    --------
    >>> cutoff(30, datetime(2026, 3, 31, tzinfo=UTC)).isoformat()
    '2026-03-01T00:00:00+00:00'
    """
    if days is None:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=days)


def prune_runs(
    store: Store,
    name: str,
    paths: PipelinePaths,
    *,
    keep: int | None,
    before: datetime | None = None,
    limit: int | None = None,
    dry_run: bool = False,
) -> Pruned:
    """Prune the runs of ``name`` beyond the newest ``keep`` or started before ``before``.

    Examples
    --------
    >>> from calmops.store import InMemoryStore, PipelineRecord
    >>> store = InMemoryStore()
    >>> _ = store.pipelines.create(PipelineRecord("demo", "stream", "manual", {}))
    >>> prune_runs(store, "demo", PipelinePaths(Path("/nowhere")), keep=10).runs
    ()
    """
    runs = store.runs.prune(name, keep=keep, before=before, limit=limit, dry_run=dry_run)
    files = [path for run in runs for path in _files_of(paths, run) if path.exists()]
    if not dry_run:
        for path in files:
            path.unlink(missing_ok=True)
    return Pruned(tuple(runs), tuple(files), dry_run)


def after_run(store: Store, name: str, paths: PipelinePaths, spec: RetentionSpec) -> Pruned:
    """The pruning a finished run does: at most :data:`PER_RUN` runs, per ``spec``."""
    if spec.keep_runs is None and spec.keep_days is None:
        return Pruned((), ())
    before = cutoff(spec.keep_days)
    return prune_runs(store, name, paths, keep=spec.keep_runs, before=before, limit=PER_RUN)


def sweep_reports(store: Store, name: str, paths: PipelinePaths, dry_run: bool = False):
    """Report files whose run is no longer in the store (a crash between pruning a run and
    removing its file), removed; the list."""
    known = {run.id for run in store.runs.list(name, limit=10_000_000)}
    stale = [p for p in sorted(paths.runs.glob("*.json")) if p.stem not in known]
    if not dry_run:
        for path in stale:
            path.unlink(missing_ok=True)
    return stale


def committed(files: Iterable[Path], runs: Iterable[RunRecord]) -> list[Path]:
    """Of these files named ``<run-id>.<ext>``, those of committed runs, oldest run first.

    A run committed if it succeeded or is no longer in ``runs`` (pruned by retention, which
    removes these files of the runs that did not succeed).

    Examples
    --------
    >>> from calmops.store import RunRecord
    >>> started = datetime(2026, 1, 1, tzinfo=UTC)
    >>> runs = [RunRecord("20260101T000000-bb", "p", "failed", started_at=started)]
    >>> names = ["20260101T000000-bb.parquet", "20250101T000000-aa.parquet"]
    >>> [p.name for p in committed([Path(n) for n in names], runs)]
    ['20250101T000000-aa.parquet']
    """
    known = {run.id: run for run in runs}
    kept = [p for p in files if p.stem not in known or known[p.stem].status == "succeeded"]

    def started(path: Path) -> tuple[datetime, str]:
        run = known.get(path.stem)
        return (run.started_at if run is not None else _started(path.stem), path.stem)

    return sorted(kept, key=started)


def _started(run_id: str) -> datetime:
    """When a run started, read from its id (``20261126T041500-1a2b3c4d``)."""
    try:
        return datetime.strptime(run_id[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _files_of(paths: PipelinePaths, run: RunRecord) -> Iterator[Path]:
    yield paths.runs / f"{run.id}.json"
    yield runs_folder(paths.root) / f"{run.id}.parquet"
    if run.status != "succeeded":
        yield paths.data / f"{run.id}.parquet"
        yield from paths.reference.glob(f"v*/performance/{run.id}.npz")
