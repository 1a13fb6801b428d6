"""The ``Store`` interface: the truth about pipelines, runs, models, aliases and events.

Every implementation (``memory.InMemoryStore``, ``sql.SqlStore``) passes the same contract
tests (``tests/store/test_contract.py``). Methods take and return entities
(``calmops.store.entities``). A ``before_commit`` callback runs inside the transaction after
the change is staged; if it raises, the change is rolled back — this is how a pipeline's
folder and its store row are created or removed together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from calmops.store.entities import AliasChange, EventRecord, PipelineRecord, RunRecord

__all__ = ["BeforeCommit", "Store"]

BeforeCommit = Callable[[], None] | None


@runtime_checkable
class Store(Protocol):
    """Where CalmOps keeps what is true; see the module docstring."""

    def create_pipeline(
        self, record: PipelineRecord, *, before_commit: BeforeCommit = None
    ) -> PipelineRecord:
        """Add a pipeline; raises PipelineExistsError if the name is taken."""

    def get_pipeline(self, name: str) -> PipelineRecord:
        """The pipeline called ``name``; raises PipelineNotFoundError."""

    def list_pipelines(self) -> list[PipelineRecord]:
        """Every pipeline, sorted by name."""

    def update_pipeline(
        self,
        name: str,
        *,
        spec: dict[str, Any] | None = None,
        state: str | None = None,
        before_commit: BeforeCommit = None,
    ) -> PipelineRecord:
        """Replace the spec and/or the state of a pipeline."""

    def delete_pipeline(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        """Remove a pipeline and everything recorded about it."""

    def record_run(self, run: RunRecord) -> None:
        """Insert a run, or update it if its id exists."""

    def latest_run(self, pipeline: str) -> RunRecord | None:
        """The most recently started run of a pipeline, if any."""

    def set_alias(
        self, pipeline: str, alias: str, version: int | None, *, reason: str
    ) -> AliasChange:
        """Point ``alias`` at ``version`` (None removes it) and record the change."""

    def aliases(self, pipeline: str) -> dict[str, int]:
        """Alias -> model version for a pipeline."""

    def alias_history(self, pipeline: str) -> list[AliasChange]:
        """The alias audit trail of a pipeline, oldest first."""

    def add_event(self, event: EventRecord) -> None:
        """Append an event."""

    def events(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        """The newest ``limit`` events (of one pipeline, or all), newest first."""

    def close(self) -> None:
        """Release connections."""
