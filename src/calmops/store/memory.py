"""``InMemoryStore``: the store contract in plain dictionaries, for tests and experiments.

Pipelines, state and events are here; the tables and their lock are in ``memory_tables``,
runs and the ledger in ``memory_runs``, model versions and aliases in ``memory_models``,
leases in ``memory_leases``.

>>> from calmops.store.entities import PipelineRecord
>>> store = InMemoryStore()
>>> _ = store.pipelines.create(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
>>> [p.name for p in store.pipelines.list()]
['demo']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from calmops.errors import PipelineExistsError
from calmops.store.base import BeforeCommit
from calmops.store.entities import BreakerState, EventRecord, PipelineRecord, utcnow
from calmops.store.memory_leases import MemoryLeases
from calmops.store.memory_models import MemoryModels
from calmops.store.memory_runs import MemoryRuns
from calmops.store.memory_tables import Memory, MemoryTables

__all__ = ["InMemoryStore"]


class _Pipelines:
    def __init__(self, memory: Memory) -> None:
        self._m = memory

    def create(self, record: PipelineRecord, *, before_commit: BeforeCommit = None):
        def change(t: MemoryTables) -> PipelineRecord:
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
        def change(t: MemoryTables) -> PipelineRecord:
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
        def change(t: MemoryTables) -> None:
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


class _State:
    def __init__(self, memory: Memory) -> None:
        self._m = memory

    def breaker(self, pipeline: str) -> BreakerState:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return self._m.tables.breakers.get(pipeline, BreakerState())

    def set_breaker(self, pipeline: str, state: BreakerState) -> None:
        def change(t: MemoryTables) -> None:
            self._m.pipeline(pipeline)
            t.breakers[pipeline] = state

        self._m.run(change)

    def detector(self, pipeline: str) -> dict[str, Any] | None:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return self._m.tables.detectors.get(pipeline)


class _Events:
    def __init__(self, memory: Memory) -> None:
        self._m = memory

    def add(self, event: EventRecord) -> None:
        def change(t: MemoryTables) -> None:
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


class InMemoryStore:
    """A :class:`~calmops.store.base.Store` that lives and dies with the process."""

    def __init__(self) -> None:
        memory = Memory()
        self.pipelines = _Pipelines(memory)
        self.runs = MemoryRuns(memory)
        self.models = MemoryModels(memory)
        self.state = _State(memory)
        self.events = _Events(memory)
        self.leases = MemoryLeases(memory)

    def close(self) -> None:
        """Nothing to release."""
