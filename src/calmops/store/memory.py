"""``InMemoryStore``: the store contract in plain dictionaries, for tests and experiments.

>>> from calmops.store.entities import PipelineRecord
>>> store = InMemoryStore()
>>> _ = store.pipelines.create(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
>>> [p.name for p in store.pipelines.list()]
['demo']
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from calmops.errors import (
    ModelInUseError,
    ModelVersionNotFoundError,
    PipelineExistsError,
    PipelineNotFoundError,
    RunNotFoundError,
    RunTakenOverError,
)
from calmops.store.base import BeforeCommit
from calmops.store.entities import (
    AliasChange,
    BreakerState,
    DriftRow,
    EventRecord,
    FileKey,
    Lease,
    LedgerEntry,
    MetricRow,
    ModelVersion,
    PipelineRecord,
    RunOutcome,
    RunRecord,
    claims,
    utcnow,
)
from calmops.store.memory_leases import MemoryLeases

__all__ = ["InMemoryStore"]

T = TypeVar("T")


@dataclass
class _Tables:
    pipelines: dict[str, PipelineRecord] = field(default_factory=dict)
    runs: dict[str, RunRecord] = field(default_factory=dict)
    ledger: dict[tuple[str, FileKey], LedgerEntry] = field(default_factory=dict)
    metrics: list[tuple[str, MetricRow]] = field(default_factory=list)
    drift: list[tuple[str, DriftRow]] = field(default_factory=list)
    versions: dict[tuple[str, int], ModelVersion] = field(default_factory=dict)
    aliases: dict[tuple[str, str], int] = field(default_factory=dict)
    alias_history: list[AliasChange] = field(default_factory=list)
    breakers: dict[str, BreakerState] = field(default_factory=dict)
    detectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    leases: dict[str, Lease] = field(default_factory=dict)


class _Memory:
    """The tables and the one lock; ``transaction`` restores the tables if the block raises."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables = _Tables()

    @contextmanager
    def transaction(self):
        with self.lock:
            saved = copy.copy(self.tables)
            saved.__dict__.update({k: copy.copy(v) for k, v in vars(self.tables).items()})
            try:
                yield self.tables
            except BaseException:
                self.tables = saved
                raise

    def run(self, change: Callable[[_Tables], T], before_commit: BeforeCommit = None) -> T:
        with self.transaction() as tables:
            result = change(tables)
            if before_commit is not None:
                before_commit()
            return result

    def pipeline(self, name: str) -> PipelineRecord:
        if name not in self.tables.pipelines:
            raise PipelineNotFoundError(name)
        return self.tables.pipelines[name]


class _Pipelines:
    def __init__(self, memory: _Memory) -> None:
        self._m = memory

    def create(self, record: PipelineRecord, *, before_commit: BeforeCommit = None):
        def change(t: _Tables) -> PipelineRecord:
            if record.name in t.pipelines:
                raise PipelineExistsError(record.name)
            t.pipelines[record.name] = record
            return record

        return self._m.run(change, before_commit)

    def get(self, name: str) -> PipelineRecord:
        with self._m.lock:
            return self._m.pipeline(name)

    def list(self) -> list[PipelineRecord]:
        with self._m.lock:
            return [p for _, p in sorted(self._m.tables.pipelines.items())]

    def update(self, name, *, spec=None, state=None, before_commit: BeforeCommit = None):
        def change(t: _Tables) -> PipelineRecord:
            record = self._m.pipeline(name)
            updates: dict[str, Any] = {"updated_at": utcnow()}
            if spec is not None:
                updates |= {"spec": spec, "kind": spec["kind"], "trigger": spec["trigger"]["type"]}
            if state is not None:
                updates["state"] = state
            t.pipelines[name] = replace(record, **updates)
            return t.pipelines[name]

        return self._m.run(change, before_commit)

    def delete(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        def change(t: _Tables) -> None:
            self._m.pipeline(name)
            del t.pipelines[name]
            run_ids = {r.id for r in t.runs.values() if r.pipeline == name}
            t.runs = {k: r for k, r in t.runs.items() if r.pipeline != name}
            t.ledger = {k: v for k, v in t.ledger.items() if k[0] != name}
            t.metrics = [(r, m) for r, m in t.metrics if r not in run_ids]
            t.drift = [(r, d) for r, d in t.drift if r not in run_ids]
            t.versions = {k: v for k, v in t.versions.items() if k[0] != name}
            t.aliases = {k: v for k, v in t.aliases.items() if k[0] != name}
            t.alias_history = [c for c in t.alias_history if c.pipeline != name]
            t.breakers.pop(name, None)
            t.detectors.pop(name, None)
            t.events = [e for e in t.events if e.pipeline != name]
            t.leases.pop(name, None)

        self._m.run(change, before_commit)


class _Runs:
    def __init__(self, memory: _Memory) -> None:
        self._m = memory

    def begin(self, run: RunRecord, file: FileKey | Sequence[FileKey] | None = None) -> bool:
        files = claims(file)

        def change(t: _Tables) -> bool:
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

        def change(t: _Tables) -> None:
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
                _move_aliases(t, run.pipeline, outcome.aliases, outcome.alias_reason)
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
        def change(t: _Tables) -> None:
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

        def change(t: _Tables) -> list[FileKey]:
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
        def change(t: _Tables) -> list[RunRecord]:
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


def _kept(t: _Tables, run: RunRecord) -> bool:
    """Whether retention must keep ``run`` (see ``RunRepo.prune``)."""
    held = [e.status for (p, _), e in t.ledger.items() if p == run.pipeline and e.run_id == run.id]
    trained = any(v.run_id == run.id for (p, _), v in t.versions.items() if p == run.pipeline)
    return (
        run.status == "running"
        or trained
        or (run.status == "failed" and "failed" in held)
        or (run.decision == "paused" and any(s != "processing" for s in held))
    )


class _Models:
    def __init__(self, memory: _Memory) -> None:
        self._m = memory

    def add(self, version: ModelVersion) -> None:
        def change(t: _Tables) -> None:
            self._m.pipeline(version.pipeline)
            t.versions[(version.pipeline, version.version)] = version

        self._m.run(change)

    def versions(self, pipeline: str) -> list[ModelVersion]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return [v for (p, _), v in sorted(self._m.tables.versions.items()) if p == pipeline]

    def get(self, pipeline: str, version: int) -> ModelVersion:
        with self._m.lock:
            self._m.pipeline(pipeline)
            found = self._m.tables.versions.get((pipeline, version))
            if found is None:
                raise ModelVersionNotFoundError(pipeline, version)
            return found

    def aliases(self, pipeline: str) -> dict[str, int]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return {a: v for (p, a), v in sorted(self._m.tables.aliases.items()) if p == pipeline}

    def set_aliases(self, pipeline, changes, *, reason: str) -> list[AliasChange]:
        def change(t: _Tables) -> list[AliasChange]:
            self._m.pipeline(pipeline)
            return _move_aliases(t, pipeline, changes, reason)

        return self._m.run(change)

    def history(self, pipeline: str) -> list[AliasChange]:
        with self._m.lock:
            return [c for c in self._m.tables.alias_history if c.pipeline == pipeline]

    def delete(self, pipeline: str, versions: Iterable[int]) -> None:
        chosen = set(versions)

        def change(t: _Tables) -> None:
            self._m.pipeline(pipeline)
            _refuse_aliased(
                pipeline, chosen, {a: v for (p, a), v in t.aliases.items() if p == pipeline}
            )
            t.versions = {
                k: v for k, v in t.versions.items() if not (k[0] == pipeline and k[1] in chosen)
            }

        self._m.run(change)


class _State:
    def __init__(self, memory: _Memory) -> None:
        self._m = memory

    def breaker(self, pipeline: str) -> BreakerState:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return self._m.tables.breakers.get(pipeline, BreakerState())

    def set_breaker(self, pipeline: str, state: BreakerState) -> None:
        def change(t: _Tables) -> None:
            self._m.pipeline(pipeline)
            t.breakers[pipeline] = state

        self._m.run(change)

    def detector(self, pipeline: str) -> dict[str, Any] | None:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return self._m.tables.detectors.get(pipeline)


class _Events:
    def __init__(self, memory: _Memory) -> None:
        self._m = memory

    def add(self, event: EventRecord) -> None:
        def change(t: _Tables) -> None:
            if event.pipeline is not None:
                self._m.pipeline(event.pipeline)
            t.events.append(event)

        self._m.run(change)

    def list(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        with self._m.lock:
            chosen = [
                e for e in self._m.tables.events if pipeline is None or e.pipeline == pipeline
            ]
            return list(reversed(chosen))[:limit]


def _move_aliases(
    t: _Tables, pipeline: str, changes: dict[str, int | None], reason: str
) -> list[AliasChange]:
    moves = []
    now = utcnow()
    for alias, version in changes.items():
        if version is not None and (pipeline, version) not in t.versions:
            raise ModelVersionNotFoundError(pipeline, version)
        old = t.aliases.get((pipeline, alias))
        if version is None:
            t.aliases.pop((pipeline, alias), None)
        else:
            t.aliases[(pipeline, alias)] = version
        moves.append(AliasChange(pipeline, alias, old, version, reason, at=now))
    t.alias_history += moves
    return moves


def _refuse_aliased(pipeline: str, versions: set[int], aliases: dict[str, int]) -> None:
    held = sorted(
        f"{alias} (v{version})" for alias, version in aliases.items() if version in versions
    )
    if held:
        raise ModelInUseError(
            f"cannot delete model versions of '{pipeline}' that aliases point to: {', '.join(held)}"
        )


class InMemoryStore:
    """A :class:`~calmops.store.base.Store` that lives and dies with the process."""

    def __init__(self) -> None:
        memory = _Memory()
        self.pipelines = _Pipelines(memory)
        self.runs = _Runs(memory)
        self.models = _Models(memory)
        self.state = _State(memory)
        self.events = _Events(memory)
        self.leases = MemoryLeases(memory)

    def close(self) -> None:
        """Nothing to release."""
