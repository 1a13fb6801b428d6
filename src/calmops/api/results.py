"""What the Python API returns: plain, frozen records of runs and model versions.

They are read from the store (``calmops runs`` and ``calmops models`` show the same), carry
no open connection, and the full run report is read only when asked for
(:meth:`Run.report`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from calmops.errors import RunNotFoundError
from calmops.pipeline.report import RunReport

if TYPE_CHECKING:
    import pandas as pd

    from calmops.drift.report import DriftReport
    from calmops.pipeline.runner import RunResult
    from calmops.store import ModelVersion, RunRecord

__all__ = ["Model", "Run"]


@dataclass(frozen=True)
class Run:
    """One batch through the loop: what it processed, decided and measured.

    ``status`` is ``succeeded``, ``failed``, ``running`` or ``skipped`` (this content was
    processed before: nothing ran, ``id`` is None). ``reason`` explains the decision, or the
    error of a failed run. ``metrics`` are the champion's on the batch (labelled batches).

    Examples
    --------
    >>> run = Run(id=None, pipeline="demo", status="skipped",
    ...           reason="this content was processed before")
    >>> run.ok, run.drift_detected
    (True, False)
    """

    id: str | None
    pipeline: str
    status: str
    decision: str | None = None
    reason: str | None = None
    source: str | None = None
    champion_version: int | None = None
    rows: int | None = None
    drift_detected: bool = False
    metrics: dict[str, float] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    _read: Callable[[str], RunRecord] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the run did not fail (a skipped file is not a failure)."""
        return self.status != "failed"

    def report(self) -> RunReport:
        """The full run report (decision, signals, challengers, drift, timings), read from
        the store; a skipped run has none."""
        if self.id is None or self._read is None:
            raise RunNotFoundError(
                self.pipeline,
                str(self.id),
                f"{self.source or 'this batch'} was not run ({self.reason or self.status}), "
                "so there is no report; `Pipeline.runs()` lists the runs that were",
            )
        record = self._read(self.id)
        return RunReport.from_dict(record.report or {"run_id": record.id, "status": record.status})

    def drift(self) -> DriftReport | None:
        """The run's data drift, or None when it tested none."""
        return self.report().drift_report

    def _repr_html_(self) -> str:
        if self.id is None or self._read is None:
            return f"<p>{self.status}: {self.reason or ''}</p>"
        return self.report()._repr_html_()

    @classmethod
    def from_record(cls, record: RunRecord, read: Callable[[str], RunRecord] | None) -> Run:
        """A run as the store recorded it (``read`` fetches its full record by id)."""
        summary = record.summary or {}
        return cls(
            id=record.id,
            pipeline=record.pipeline,
            status=record.status,
            decision=record.decision,
            reason=record.error or summary.get("reason"),
            source=record.source,
            champion_version=record.model_version,
            rows=summary.get("rows"),
            drift_detected=bool(summary.get("drift_detected")),
            metrics=dict(summary.get("metrics") or {}),
            started_at=record.started_at,
            finished_at=record.finished_at,
            _read=read,
        )

    @classmethod
    def skipped(cls, pipeline: str, result: RunResult) -> Run:
        """A file the ledger had seen: no run, only the reason."""
        return cls(None, pipeline, result.status, reason=result.reason, source=result.source)

    def to_dict(self) -> dict[str, Any]:
        """The run as plain data (what ``calmops runs --json`` lists, with these names)."""
        return {
            "id": self.id,
            "pipeline": self.pipeline,
            "status": self.status,
            "decision": self.decision,
            "reason": self.reason,
            "source": self.source,
            "champion_version": self.champion_version,
            "rows": self.rows,
            "drift_detected": self.drift_detected,
            "metrics": dict(self.metrics),
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


@dataclass(frozen=True)
class Model:
    """A registered model version: its aliases, holdout metrics and card.

    Examples
    --------
    >>> Model("demo", 2, aliases=("champion",), metrics={"accuracy": 0.9}).is_champion
    True
    """

    pipeline: str
    version: int
    aliases: tuple[str, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict)
    strategy: str | None = None
    run_id: str | None = None
    sha256: str = ""
    created_at: datetime | None = None
    card: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_champion(self) -> bool:
        return "champion" in self.aliases

    @classmethod
    def from_version(cls, version: ModelVersion, aliases: dict[str, int]) -> Model:
        card = version.card or {}
        return cls(
            pipeline=version.pipeline,
            version=version.version,
            aliases=tuple(sorted(a for a, v in aliases.items() if v == version.version)),
            metrics=dict(version.metrics or {}),
            strategy=card.get("strategy"),
            run_id=version.run_id,
            sha256=version.sha256,
            created_at=version.created_at,
            card=dict(card),
        )


def runs_frame(runs: list[Run]) -> pd.DataFrame:
    """Runs as a table, one row per run (index ``id``), metrics as columns."""
    import pandas as pd

    rows = []
    for run in runs:
        row = {k: v for k, v in run.to_dict().items() if k not in ("metrics", "pipeline")}
        rows.append({**row, **run.metrics})
    return (
        pd.DataFrame(rows).set_index("id")
        if rows
        else pd.DataFrame(
            columns=[
                "status",
                "decision",
                "reason",
                "source",
                "champion_version",
                "rows",
                "drift_detected",
                "started_at",
                "finished_at",
            ],
            index=pd.Index([], name="id"),
        )
    )
