"""What the store takes and returns: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "AliasChange",
    "BreakerState",
    "DriftRow",
    "EventRecord",
    "FileKey",
    "Lease",
    "LedgerEntry",
    "MetricRow",
    "ModelVersion",
    "PipelineRecord",
    "RunOutcome",
    "RunRecord",
    "claims",
    "utcnow",
]


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
class FileKey:
    """A data file as the ledger knows it: its path, size and SHA-256.

    Content identifies a batch: a file whose size and SHA-256 match a processed one (under
    any name) is not processed again. ``mtime_ns`` is only a hint that lets a folder scan
    skip hashing files the ledger has already seen unchanged.
    """

    path: str
    size: int
    sha256: str
    mtime_ns: int | None = field(default=None, compare=False)


def claims(file: FileKey | Sequence[FileKey] | None) -> tuple[FileKey, ...]:
    """The ledger keys a run claims: none, one file, or several (a chunk and the files it
    completes).

    >>> claims(None), len(claims(FileKey("a.csv", 1, "0" * 64)))
    ((), 1)
    """
    if file is None:
        return ()
    return (file,) if isinstance(file, FileKey) else tuple(file)


@dataclass(frozen=True)
class LedgerEntry:
    """What happened to one file: ``processing`` (a run holds it), ``done`` or ``failed``."""

    pipeline: str
    file: FileKey
    status: str
    run_id: str | None
    error: str | None = None
    processed_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class RunRecord:
    """One batch through the loop: what it processed and what it decided.

    ``summary`` is small (shown in listings); ``report`` is the full run report and is only
    returned by ``runs.get``.
    """

    id: str
    pipeline: str
    status: str  # running | succeeded | failed
    started_at: datetime = field(default_factory=utcnow)
    finished_at: datetime | None = None
    decision: str | None = None
    source: str | None = None
    error: str | None = None
    model_version: int | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] | None = None


@dataclass(frozen=True)
class MetricRow:
    """One metric value of a run, for the whole batch or one block."""

    name: str
    value: float
    model_version: int | None = None
    scope: str = "overall"  # overall | block | holdout | challenger
    block: str | None = None


@dataclass(frozen=True)
class DriftRow:
    """One feature's drift result in a run."""

    feature: str
    test: str
    statistic: float | None
    p_value: float | None
    threshold: float | None
    drift: bool
    verdict: str
    scope: str = "reference"
    block: str | None = None


@dataclass(frozen=True)
class ModelVersion:
    """A registered model: its file (relative to the pipeline folder), checksum and card."""

    pipeline: str
    version: int
    path: str
    sha256: str
    run_id: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    card: dict[str, Any] = field(default_factory=dict)
    created_at: datetime = field(default_factory=utcnow)


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
class BreakerState:
    """The circuit breaker of a pipeline: ``closed``, ``open`` (paused) or ``half_open``."""

    state: str = "closed"
    failures: int = 0
    opened_at: datetime | None = None
    retry_at: datetime | None = None


@dataclass(frozen=True)
class EventRecord:
    """Something that happened to a pipeline, for people and machines."""

    pipeline: str | None
    kind: str
    message: str
    level: str = "info"
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class RunOutcome:
    """Everything a finished run commits, in one transaction.

    The run row, its file's ledger status, metrics and drift rows, newly registered model
    versions, alias moves (with their reason), the breaker and the detector state.
    """

    run: RunRecord
    file_status: str | None = None  # done | failed, when the run held a file
    metrics: tuple[MetricRow, ...] = ()
    drift: tuple[DriftRow, ...] = ()
    new_versions: tuple[ModelVersion, ...] = ()
    aliases: dict[str, int | None] = field(default_factory=dict)
    alias_reason: str = ""
    breaker: BreakerState | None = None
    detector_state: dict[str, Any] | None = None


@dataclass(frozen=True)
class Lease:
    """Who runs a pipeline, on any host, until when (``calmops.pipeline.lease``).

    A lease is taken before a pipeline's monitor or run does anything and renewed by a
    heartbeat; a holder that dies stops renewing, and once ``expires_at`` has passed another
    process may take the lease over. ``executor`` (``local`` or ``ray``), ``host``, ``node``
    and ``pid`` say where the holder runs, for ``calmops status``.
    """

    pipeline: str
    holder: str
    host: str
    pid: int
    expires_at: datetime
    executor: str = "local"
    node: str | None = None
    acquired_at: datetime = field(default_factory=utcnow)

    def live(self, now: datetime | None = None) -> bool:
        """Whether the lease still holds at ``now`` (default: the current time)."""
        return (now or utcnow()) < self.expires_at
