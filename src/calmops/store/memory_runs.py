"""Runs, the processed-file ledger and run retention of the
:class:`~calmops.store.memory.InMemoryStore`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from calmops.errors import RunNotFoundError, RunTakenOverError
from calmops.store.entities import (
    FileKey,
    LedgerEntry,
    MetricRow,
    RunOutcome,
    RunRecord,
    claims,
    utcnow,
)
from calmops.store.memory_models import move_aliases
from calmops.store.memory_tables import Memory, MemoryTables

__all__ = ["MemoryRuns"]


class MemoryRuns:
    def __init__(self, memory: Memory) -> None:
        self._m = memory

    def begin(self, run: RunRecord, file: FileKey | Sequence[FileKey] | None = None) -> bool:
        files = claims(file)

        def change(t: MemoryTables) -> bool:
            self._m.pipeline(run.pipeline)
            settled = {
                (key.size, key.sha256)
                for (pipeline, key), entry in t.ledger.items()
                if pipeline == run.pipeline and entry.status != "processing"
            }
            if any((each.size, each.sha256) in settled for each in files):
                return False
            for each in files:
                entry = t.ledger.get((run.pipeline, each))
                if entry is not None and entry.run_id in t.runs:
                    t.runs[entry.run_id] = replace(
                        t.runs[entry.run_id],
                        status="failed",
                        finished_at=utcnow(),
                        error=f"interrupted before it finished; retried by run {run.id}",
                    )
                t.ledger[(run.pipeline, each)] = LedgerEntry(
                    run.pipeline, each, "processing", run.id
                )
            t.runs[run.id] = run
            return True

        return self._m.run(change)

    def finish(self, outcome: RunOutcome) -> None:
        run = outcome.run

        def change(t: MemoryTables) -> None:
            if run.id not in t.runs:
                raise RunNotFoundError(run.pipeline, run.id)
            if t.runs[run.id].status != "running":  # settled by a run that took its file over
                raise RunTakenOverError(run.pipeline, run.id)
            t.runs[run.id] = run
            if outcome.file_status is not None:
                for key, entry in t.ledger.items():
                    if entry.run_id == run.id:
                        t.ledger[key] = replace(
                            entry,
                            status=outcome.file_status,
                            error=run.error,
                            processed_at=utcnow(),
                        )
            t.metrics += [(run.id, m) for m in outcome.metrics]
            t.drift += [(run.id, d) for d in outcome.drift]
            for version in outcome.new_versions:
                t.versions[(version.pipeline, version.version)] = version
            if outcome.aliases:
                move_aliases(t, run.pipeline, outcome.aliases, outcome.alias_reason)
            if outcome.breaker is not None:
                t.breakers[run.pipeline] = outcome.breaker
            if outcome.detector_state is not None:
                t.detectors[run.pipeline] = outcome.detector_state

        self._m.run(change)

    def amend(
        self,
        pipeline: str,
        run_id: str,
        metrics: Sequence[MetricRow],
        report: dict,
        summary: dict | None = None,
    ) -> None:
        def change(t: MemoryTables) -> None:
            run = t.runs.get(run_id)
            if run is None or run.pipeline != pipeline:
                raise RunNotFoundError(pipeline, run_id)
            t.runs[run_id] = replace(run, report=report, summary=summary or run.summary)
            scopes = {m.scope for m in metrics}
            t.metrics = [(r, m) for r, m in t.metrics if r != run_id or m.scope not in scopes]
            t.metrics += [(run_id, m) for m in metrics]

        self._m.run(change)

    def get(self, pipeline: str, run_id: str) -> RunRecord:
        with self._m.lock:
            run = self._m.tables.runs.get(run_id)
            if run is None or run.pipeline != pipeline:
                raise RunNotFoundError(pipeline, run_id)
            return run

    def list(self, pipeline: str, *, limit: int = 100) -> list[RunRecord]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            runs = [r for r in self._m.tables.runs.values() if r.pipeline == pipeline]
            runs.sort(key=lambda r: r.started_at, reverse=True)
            return [replace(r, report=None) for r in runs[:limit]]

    def latest(self, pipeline: str) -> RunRecord | None:
        found = self.list(pipeline, limit=1)
        return found[0] if found else None

    def ledger(self, pipeline: str) -> list[LedgerEntry]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            entries = [e for (p, _), e in self._m.tables.ledger.items() if p == pipeline]
            return sorted(entries, key=lambda e: e.processed_at)

    def forget(
        self, pipeline: str, path: str | None = None, *, run_ids: Iterable[str] | None = None
    ) -> list[FileKey]:
        wanted = None if run_ids is None else set(run_ids)

        def chosen_entry(entry: LedgerEntry) -> bool:
            if wanted is None:
                return entry.status == "failed"
            return entry.run_id in wanted and entry.status != "processing"

        def change(t: MemoryTables) -> list[FileKey]:
            self._m.pipeline(pipeline)
            chosen = [
                key
                for key, entry in t.ledger.items()
                if key[0] == pipeline
                and chosen_entry(entry)
                and (path is None or key[1].path == path)
            ]
            for key in chosen:
                del t.ledger[key]
            return [key[1] for key in chosen]

        return self._m.run(change)

    def prune(self, pipeline, *, keep=None, before=None, limit=None, dry_run=False):
        def change(t: MemoryTables) -> list[RunRecord]:
            self._m.pipeline(pipeline)
            mine = sorted(
                (r for r in t.runs.values() if r.pipeline == pipeline),
                key=lambda r: (r.started_at, r.id),
            )
            beyond = set() if keep is None else {r.id for r in mine[: max(len(mine) - keep, 0)]}
            if keep is None and before is None:
                return []
            chosen = [
                r
                for r in mine
                if (r.id in beyond or (before is not None and r.started_at < before))
                and not _kept(t, r)
            ][:limit]
            if not dry_run:
                gone = {r.id for r in chosen}
                t.runs = {k: r for k, r in t.runs.items() if k not in gone}
                t.metrics = [(r, m) for r, m in t.metrics if r not in gone]
                t.drift = [(r, d) for r, d in t.drift if r not in gone]
            return [replace(r, report=None) for r in chosen]

        return self._m.run(change)


def _kept(t: MemoryTables, run: RunRecord) -> bool:
    """Whether retention must keep ``run`` (see ``RunRepo.prune``)."""
    held = [e.status for (p, _), e in t.ledger.items() if p == run.pipeline and e.run_id == run.id]
    trained = any(v.run_id == run.id for (p, _), v in t.versions.items() if p == run.pipeline)
    return (
        run.status == "running"
        or trained
        or (run.status == "failed" and "failed" in held)
        or (run.decision == "paused" and any(s != "processing" for s in held))
    )
