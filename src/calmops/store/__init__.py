"""The store: the truth about pipelines, runs, models, aliases, the ledger and events.

``open_store(url)`` gives the SQL store for a URL (SQLite by default, PostgreSQL by URL);
``InMemoryStore`` keeps everything in the process. Both satisfy :class:`Store`.
"""

from __future__ import annotations

from calmops.store.base import Store
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
    utcnow,
)
from calmops.store.memory import InMemoryStore

__all__ = [
    "AliasChange",
    "BreakerState",
    "DriftRow",
    "EventRecord",
    "FileKey",
    "InMemoryStore",
    "Lease",
    "LedgerEntry",
    "MetricRow",
    "ModelVersion",
    "PipelineRecord",
    "RunOutcome",
    "RunRecord",
    "Store",
    "open_store",
    "utcnow",
]


def open_store(url: str) -> Store:
    """Open (and migrate if needed) the SQL store at ``url``; ``memory://`` for InMemoryStore.

    >>> open_store("memory://").pipelines.list()
    []
    """
    if url == "memory://":
        return InMemoryStore()
    from calmops.store.sql import SqlStore

    return SqlStore(url)
