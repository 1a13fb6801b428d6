"""The tables of the :class:`~calmops.store.memory.InMemoryStore` and the one lock that guards
them (``Memory.transaction`` restores the tables if its block raises)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from calmops.errors import PipelineNotFoundError
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
    RunRecord,
)

__all__ = ["Memory", "MemoryTables"]

T = TypeVar("T")


@dataclass
class MemoryTables:
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


class Memory:
    """The tables and the one lock; ``transaction`` restores the tables if the block raises."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables = MemoryTables()

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

    def run(self, change: Callable[[MemoryTables], T], before_commit: BeforeCommit = None) -> T:
        with self.transaction() as tables:
            result = change(tables)
            if before_commit is not None:
                before_commit()
            return result

    def pipeline(self, name: str) -> PipelineRecord:
        if name not in self.tables.pipelines:
            raise PipelineNotFoundError(name)
        return self.tables.pipelines[name]
