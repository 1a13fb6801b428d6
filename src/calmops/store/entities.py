"""What the store returns: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["AliasChange", "EventRecord", "PipelineRecord", "RunRecord", "utcnow"]


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (what every timestamp in the store is)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class PipelineRecord:
    """A pipeline as the store knows it: its validated spec and its state."""

    name: str
    kind: str
    trigger: str
    spec: dict[str, Any]
    state: str = "stopped"
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class RunRecord:
    """One batch through the loop: what it processed and what it decided."""

    id: str
    pipeline: str
    status: str  # running | succeeded | failed
    started_at: datetime = field(default_factory=utcnow)
    finished_at: datetime | None = None
    decision: str | None = None
    source: str | None = None
    error: str | None = None
    model_version: int | None = None


@dataclass(frozen=True)
class AliasChange:
    """One entry of the alias audit trail: ``alias`` moved from ``old`` to ``new``."""

    pipeline: str
    alias: str
    old_version: int | None
    new_version: int | None
    reason: str
    at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class EventRecord:
    """Something that happened to a pipeline, for people and machines."""

    pipeline: str | None
    kind: str
    message: str
    level: str = "info"
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)
