"""``InMemoryStore``: the store contract in plain dictionaries, for tests and experiments.

>>> from calmops.store.entities import PipelineRecord
>>> store = InMemoryStore()
>>> _ = store.create_pipeline(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
>>> [p.name for p in store.list_pipelines()]
['demo']
"""

from __future__ import annotations

import copy
import threading
from dataclasses import replace
from typing import Any

from calmops.errors import PipelineExistsError, PipelineNotFoundError
from calmops.store.base import BeforeCommit
from calmops.store.entities import (
    AliasChange,
    EventRecord,
    PipelineRecord,
    RunRecord,
    utcnow,
)

__all__ = ["InMemoryStore"]


class InMemoryStore:
    """A :class:`~calmops.store.base.Store` that lives and dies with the process."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._pipelines: dict[str, PipelineRecord] = {}
        self._runs: dict[str, RunRecord] = {}
        self._aliases: dict[tuple[str, str], int] = {}
        self._alias_history: list[AliasChange] = []
        self._events: list[EventRecord] = []

    # every change goes through here: copy, change, run the callback, swap in
    def _transaction(self, change, before_commit: BeforeCommit) -> Any:
        with self._lock:
            saved = {k: copy.copy(v) for k, v in vars(self).items() if k != "_lock"}
            try:
                result = change()
                if before_commit is not None:
                    before_commit()
            except BaseException:
                vars(self).update(saved)
                raise
            return result

    def create_pipeline(
        self, record: PipelineRecord, *, before_commit: BeforeCommit = None
    ) -> PipelineRecord:
        def change() -> PipelineRecord:
            if record.name in self._pipelines:
                raise PipelineExistsError(record.name)
            self._pipelines[record.name] = record
            return record

        return self._transaction(change, before_commit)

    def get_pipeline(self, name: str) -> PipelineRecord:
        with self._lock:
            if name not in self._pipelines:
                raise PipelineNotFoundError(name)
            return self._pipelines[name]

    def list_pipelines(self) -> list[PipelineRecord]:
        with self._lock:
            return [self._pipelines[name] for name in sorted(self._pipelines)]

    def update_pipeline(
        self,
        name: str,
        *,
        spec: dict[str, Any] | None = None,
        state: str | None = None,
        before_commit: BeforeCommit = None,
    ) -> PipelineRecord:
        def change() -> PipelineRecord:
            record = self.get_pipeline(name)
            updates: dict[str, Any] = {"updated_at": utcnow()}
            if spec is not None:
                updates |= {
                    "spec": spec,
                    "kind": spec.get("kind", record.kind),
                    "trigger": spec.get("trigger", {}).get("type", record.trigger),
                }
            if state is not None:
                updates["state"] = state
            self._pipelines[name] = replace(record, **updates)
            return self._pipelines[name]

        return self._transaction(change, before_commit)

    def delete_pipeline(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        def change() -> None:
            self.get_pipeline(name)
            del self._pipelines[name]
            self._runs = {k: r for k, r in self._runs.items() if r.pipeline != name}
            self._aliases = {k: v for k, v in self._aliases.items() if k[0] != name}
            self._alias_history = [c for c in self._alias_history if c.pipeline != name]
            self._events = [e for e in self._events if e.pipeline != name]

        self._transaction(change, before_commit)

    def record_run(self, run: RunRecord) -> None:
        with self._lock:
            self.get_pipeline(run.pipeline)
            self._runs[run.id] = run

    def latest_run(self, pipeline: str) -> RunRecord | None:
        with self._lock:
            runs = [r for r in self._runs.values() if r.pipeline == pipeline]
            return max(runs, key=lambda r: r.started_at, default=None)

    def set_alias(
        self, pipeline: str, alias: str, version: int | None, *, reason: str
    ) -> AliasChange:
        with self._lock:
            self.get_pipeline(pipeline)
            old = self._aliases.get((pipeline, alias))
            if version is None:
                self._aliases.pop((pipeline, alias), None)
            else:
                self._aliases[(pipeline, alias)] = version
            change = AliasChange(pipeline, alias, old, version, reason)
            self._alias_history.append(change)
            return change

    def aliases(self, pipeline: str) -> dict[str, int]:
        with self._lock:
            self.get_pipeline(pipeline)
            return {a: v for (p, a), v in sorted(self._aliases.items()) if p == pipeline}

    def alias_history(self, pipeline: str) -> list[AliasChange]:
        with self._lock:
            return [c for c in self._alias_history if c.pipeline == pipeline]

    def add_event(self, event: EventRecord) -> None:
        with self._lock:
            if event.pipeline is not None:
                self.get_pipeline(event.pipeline)
            self._events.append(event)

    def events(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        with self._lock:
            chosen = [e for e in self._events if pipeline is None or e.pipeline == pipeline]
            return list(reversed(chosen))[:limit]

    def close(self) -> None:
        """Nothing to release."""
