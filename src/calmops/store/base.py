"""The ``Store`` interface: the truth about pipelines, runs, models, aliases and events.

A store is six small repositories sharing one database:

==============  ==============================================================
``pipelines``   create, get, list, update, delete
``runs``        begin (claims a file in the ledger), finish (commits a whole run),
                get, list, latest, ledger, forget (so a failed file is retried),
                prune (retention of old runs)
``models``      add, versions, get, aliases, set_aliases, history, delete
``state``       breaker, set_breaker, detector
``events``      add, list
``leases``      acquire, renew, release, get, list (who runs a pipeline, on any host)
==============  ==============================================================

Every implementation (``memory.InMemoryStore``, ``sql.SqlStore``) passes the same contract
tests (``tests/store/test_contract.py``). Methods take and return entities
(``calmops.store.entities``). A ``before_commit`` callback runs inside the transaction after
the change is staged; if it raises, the change is rolled back — this is how a pipeline's
folder and its store row are created or removed together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from calmops.store.entities import (
    AliasChange,
    BreakerState,
    EventRecord,
    FileKey,
    Lease,
    LedgerEntry,
    MetricRow,
    ModelVersion,
    PipelineRecord,
    RunOutcome,
    RunRecord,
)

__all__ = [
    "BeforeCommit",
    "EventRepo",
    "LeaseRepo",
    "ModelRepo",
    "PipelineRepo",
    "RunRepo",
    "StateRepo",
    "Store",
]

BeforeCommit = Callable[[], None] | None


class PipelineRepo(Protocol):
    def create(
        self, record: PipelineRecord, *, before_commit: BeforeCommit = None
    ) -> PipelineRecord:
        """Add a pipeline; raises PipelineExistsError if the name is taken."""

    def get(self, name: str) -> PipelineRecord:
        """The pipeline called ``name``; raises PipelineNotFoundError."""

    def list(self) -> list[PipelineRecord]:
        """Every pipeline, sorted by name."""

    def update(
        self,
        name: str,
        *,
        spec: dict[str, Any] | None = None,
        state: str | None = None,
        before_commit: BeforeCommit = None,
    ) -> PipelineRecord:
        """Replace the spec and/or the state of a pipeline."""

    def delete(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        """Remove a pipeline and everything recorded about it."""


class RunRepo(Protocol):
    def begin(self, run: RunRecord, file: FileKey | Sequence[FileKey] | None = None) -> bool:
        """Record a running run and claim its file (or several keys at once: a chunk's); False,
        claiming nothing, if the same content (size and SHA-256, under any path) of any of them
        was already processed or failed. ``finish`` settles every key the run claimed.

        A file held by a run that never finished (a crash) is taken over: that run is marked
        failed as interrupted. Only one process may run a pipeline at a time (the runner's lock).
        """

    def finish(self, outcome: RunOutcome) -> None:
        """Commit everything a run produced, in one transaction (see RunOutcome)."""

    def amend(
        self,
        pipeline: str,
        run_id: str,
        metrics: Sequence[MetricRow],
        report: dict[str, Any],
        summary: dict[str, Any] | None = None,
    ) -> None:
        """After the fact (labels that arrived later): replace the run's metric rows of the
        scopes in ``metrics`` with them, its report and (if given) its summary, in one
        transaction."""

    def get(self, pipeline: str, run_id: str) -> RunRecord:
        """One run with its full report; raises RunNotFoundError."""

    def list(self, pipeline: str, *, limit: int = 100) -> list[RunRecord]:
        """The newest ``limit`` runs, newest first, without their reports."""

    def latest(self, pipeline: str) -> RunRecord | None:
        """The most recently started run, if any."""

    def ledger(self, pipeline: str) -> list[LedgerEntry]:
        """Every file the pipeline has seen, oldest first."""

    def forget(
        self, pipeline: str, path: str | None = None, *, run_ids: Iterable[str] | None = None
    ) -> list[FileKey]:
        """Drop ledger entries so those files run again: the failed ones (of one path, or
        all), or, with ``run_ids``, the entries those runs settled, whatever their status
        (``calmops retry NAME --paused``)."""

    def prune(
        self,
        pipeline: str,
        *,
        keep: int | None = None,
        before: datetime | None = None,
        limit: int | None = None,
        dry_run: bool = False,
    ) -> list[RunRecord]:
        """Delete old runs with their metric and drift rows, oldest first (at most ``limit``):
        those beyond the newest ``keep`` runs, or started before ``before`` (None: no such
        limit). The runs removed, without reports (``dry_run``: those that would be).

        Never touches the ledger (a pruned run's file stays processed), and keeps every run
        that is ``running``, that a registered model version was trained by, that failed with
        its ledger entry still ``failed`` (``calmops retry`` runs it again) or that the breaker
        ``paused`` with its ledger entry (``retry --paused``)."""


class ModelRepo(Protocol):
    def add(self, version: ModelVersion) -> None:
        """Register a model version."""

    def versions(self, pipeline: str) -> list[ModelVersion]:
        """Every registered version, oldest first."""

    def get(self, pipeline: str, version: int) -> ModelVersion:
        """One version; raises ModelVersionNotFoundError."""

    def aliases(self, pipeline: str) -> dict[str, int]:
        """Alias -> version."""

    def set_aliases(
        self, pipeline: str, changes: dict[str, int | None], *, reason: str
    ) -> list[AliasChange]:
        """Move several aliases at once (None removes one), with one audit entry each."""

    def history(self, pipeline: str) -> list[AliasChange]:
        """The alias audit trail, oldest first."""

    def delete(self, pipeline: str, versions: Iterable[int]) -> None:
        """Forget versions (retention); refuses a version an alias points to."""


class StateRepo(Protocol):
    def breaker(self, pipeline: str) -> BreakerState:
        """The circuit breaker (closed when never set)."""

    def set_breaker(self, pipeline: str, state: BreakerState) -> None:
        """Replace the circuit breaker state."""

    def detector(self, pipeline: str) -> dict[str, Any] | None:
        """The saved state of the streaming detector, if any."""


class EventRepo(Protocol):
    def add(self, event: EventRecord) -> None:
        """Append an event."""

    def list(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        """The newest ``limit`` events (of one pipeline, or all), newest first."""


class LeaseRepo(Protocol):
    def acquire(self, claim: Lease, *, replacing: str | None = None) -> Lease:
        """Take the lease of ``claim.pipeline`` for ``claim.holder`` if nobody holds it, it
        expired, ``replacing`` holds it (a holder known to be dead), or the holder already
        holds it (then it is renewed); returns the lease as it now stands, so the caller
        compares its ``holder`` with its own."""

    def renew(self, pipeline: str, holder: str, expires_at: datetime) -> bool:
        """Move the expiry of a lease ``holder`` holds; False if another process took it."""

    def release(self, pipeline: str, holder: str) -> None:
        """Give the lease up, if ``holder`` still holds it."""

    def get(self, pipeline: str) -> Lease | None:
        """The pipeline's lease (maybe expired), or None."""

    def list(self) -> list[Lease]:
        """Every lease (maybe expired), sorted by pipeline."""


@runtime_checkable
class Store(Protocol):
    """Where CalmOps keeps what is true; see the module docstring."""

    pipelines: PipelineRepo
    runs: RunRepo
    models: ModelRepo
    state: StateRepo
    events: EventRepo
    leases: LeaseRepo

    def close(self) -> None:
        """Release connections."""
