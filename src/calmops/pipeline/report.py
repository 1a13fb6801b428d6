"""The run report: what one run found and did, as typed, frozen records.

The same report is ``runs.report`` in the store, ``metrics/runs/<run-id>.json`` on disk, the
JSON twin of a run's page in the dashboard and ``calmops report --json``. Pipeline, CLI and
web share these classes; :meth:`RunReport.to_dict` writes the JSON (``schema_version`` 1) and
:meth:`RunReport.from_dict` reads it back, including reports written before these classes
existed (missing sections are empty; keys it does not know are kept in ``extra``).

::

    RunReport        run_id, pipeline, status, error, started_at, finished_at, file, rows,
                     labelled, task, notes, decision, signals, champion {before, after},
                     metrics {champion_on_batch}, challengers, drift, timings,
                     candidates (adaptive retraining: each history's model and its holdout
                     metrics), change_point (a change located inside the batch, or null),
                     attention (what needs a person: sentences, [] when all is well, null
                     when the run did not judge it), period {start, end} (the event
                     times the batch covered, with data.time_column; else left out)
      blocks         BlocksSection (block and IPIP kinds, see ``calmops.pipeline.sections``)
      ipip           IPIPSection (IPIP kind)
      realized       RealizedSection (labels joined after the run: ``calmops labels``)
      estimation     EstimationSection (a champion with a label-free performance
                     estimator: the estimate, realized values when labelled)
      chunk          ChunkSection {by, label, files, partial, late} (``data.chunk`` runs;
                     a time chunk's ``period`` is its bin [start, end), not its first and
                     last time)

Examples
--------
>>> report = RunReport.from_dict({"run_id": "r1", "pipeline": "demo", "status": "succeeded",
...     "decision": {"kind": "retrain", "reason": "drift", "triggers": ["data"]},
...     "champion": {"before": 1, "after": 2}, "custom": 7})
>>> report.decision.kind == "retrain", report.champion_after, report.extra
(True, 2, {'custom': 7})
>>> RunReport.from_dict(report.to_dict()) == report
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calmops.drift.report import DriftReport
from calmops.drift.tabular import features_frame
from calmops.pipeline import report_html
from calmops.pipeline.performance_sections import EstimationSection, RealizedSection
from calmops.pipeline.policy import Decision, Signal
from calmops.pipeline.sections import BlocksSection, IPIPSection, Period

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "BlocksSection",
    "CandidateEntry",
    "ChallengerEntry",
    "ChunkSection",
    "EstimationSection",
    "IPIPSection",
    "Period",
    "RunReport",
]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ChallengerEntry:
    """A challenger of the run: how it was trained and how it fared against the champion.

    ``comparison`` is the paired comparison on the holdout rows (``improvement``, ``low``,
    ``high``, ``p_value``), None without a champion.
    """

    version: int
    strategy: str
    trained_on: str
    rows: int
    metrics: dict[str, float]
    champion_metrics: dict[str, float] | None
    comparison: dict[str, float] | None
    promoted: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChallengerEntry:
        return cls(
            version=int(data["version"]),
            strategy=str(data.get("strategy", "")),
            trained_on=str(data.get("trained_on", "")),
            rows=int(data.get("rows") or 0),
            metrics=dict(data.get("metrics") or {}),
            champion_metrics=data.get("champion_metrics"),
            comparison=data.get("comparison"),
            promoted=bool(data.get("promoted")),
            reason=str(data.get("reason", "")),
        )


@dataclass(frozen=True)
class CandidateEntry:
    """A candidate of adaptive retraining: the history it learned from and its metrics on the
    holdout rows; ``chosen`` is the best one, judged against the champion as the challenger."""

    history: str  # full | window | batch | since_change
    trained_on: str
    rows: int
    metrics: dict[str, float]
    chosen: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CandidateEntry:
        return cls(
            history=str(data.get("history", "")),
            trained_on=str(data.get("trained_on", "")),
            rows=int(data.get("rows") or 0),
            metrics=dict(data.get("metrics") or {}),
            chosen=bool(data.get("chosen")),
        )


@dataclass(frozen=True)
class ChunkSection:
    """Which chunk of the data a run was (``data.chunk``).

    ``files`` lists each contributing file with the rows it gave: ``{path, rows, first,
    stop}`` (``first``/``stop``: row numbers in that file, 0-based, ``stop`` excluded; by time
    the rows of one file need not be consecutive, so only ``rows`` is given). ``partial``: the
    last chunk, not full yet (fewer than ``size`` rows, or data ends before the period does);
    ``late``: rows for a period earlier than one already run (a file that arrived late).
    """

    by: str  # time | rows
    label: str
    files: tuple[dict[str, Any], ...] = ()
    partial: bool = False
    late: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "files": [dict(f) for f in self.files]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChunkSection:
        return cls(
            by=str(data.get("by", "")),
            label=str(data.get("label", "")),
            files=tuple(dict(f) for f in data.get("files") or ()),
            partial=bool(data.get("partial")),
            late=bool(data.get("late")),
        )


@dataclass(frozen=True)
class RunReport:
    """The full report of one run (see the module docstring for the JSON it maps to)."""

    run_id: str
    pipeline: str
    status: str  # succeeded | failed | running
    error: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    file: dict[str, Any] | None = None  # {path, size, sha256, mtime_ns}
    rows: int | None = None
    labelled: bool = False
    task: str | None = None
    notes: tuple[str, ...] = ()
    decision: Decision | None = None
    signals: dict[str, Signal] = field(default_factory=dict)
    champion_before: int | None = None
    champion_after: int | None = None
    champion_metrics: dict[str, float] = field(default_factory=dict)  # the champion's, on the batch
    challengers: tuple[ChallengerEntry, ...] = ()
    drift: dict[str, Any] | None = None  # calmops.drift.DriftReport.to_dict()
    timings: dict[str, float] = field(default_factory=dict)  # step: seconds
    candidates: tuple[CandidateEntry, ...] = ()
    change_point: dict[str, Any] | None = None  # {row, error_before, error_after, z}
    attention: tuple[str, ...] | None = None
    period: Period | None = None  # first and last event time (data.time_column)
    blocks: BlocksSection | None = None
    ipip: IPIPSection | None = None
    chunk: ChunkSection | None = None
    realized: RealizedSection | None = None  # labels that arrived later (calmops labels)
    estimation: EstimationSection | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # sections this version does not know
    schema_version: int = SCHEMA_VERSION

    @property
    def promoted(self) -> ChallengerEntry | None:
        """The challenger that became the champion, if one did."""
        return next((c for c in self.challengers if c.promoted), None)

    @property
    def drift_report(self) -> DriftReport | None:
        """The run's data drift as a :class:`~calmops.drift.DriftReport` (None when the
        run tested none), with its own ``to_frame``, ``save_html`` and notebook view."""
        return DriftReport.from_dict(self.drift) if self.drift else None

    def to_frame(self) -> pd.DataFrame:
        """The run's drift, one row per tested column (the columns of
        :meth:`calmops.drift.DriftReport.to_frame`; no rows when the run tested none)."""
        return features_frame((self.drift or {}).get("features"))

    def save_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as a small self-contained HTML page; returns its path."""
        return report_html.write_run_html(self, Path(path))

    def _repr_html_(self) -> str:
        """Decision, signals, champion, challengers and drift, for Jupyter."""
        return report_html.render_run_fragment(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (plain dicts, lists, numbers and strings)."""
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "run_id": self.run_id,
            "pipeline": self.pipeline,
            "status": self.status,
            "error": self.error,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "file": self.file,
            "rows": self.rows,
            "labelled": self.labelled,
            "task": self.task,
            "notes": list(self.notes),
            "decision": None if self.decision is None else self.decision.to_dict(),
            "signals": {
                name: {"fired": s.fired, "summary": s.summary, "details": s.details}
                for name, s in self.signals.items()
            },
            "champion": {"before": self.champion_before, "after": self.champion_after},
            "metrics": {"champion_on_batch": self.champion_metrics},
            "challengers": [c.to_dict() for c in self.challengers],
            "drift": self.drift,
            "timings": self.timings,
        }
        if self.candidates:  # sections a run may lack are left out, as in earlier reports
            out["candidates"] = [c.to_dict() for c in self.candidates]
        if self.change_point is not None:
            out["change_point"] = self.change_point
        if self.attention is not None:
            out["attention"] = list(self.attention)
        if self.period is not None:
            out["period"] = self.period.to_dict()
        if self.blocks is not None:
            out["blocks"] = self.blocks.to_dict()
        if self.ipip is not None:
            out["ipip"] = self.ipip.to_dict()
        if self.period is not None:
            out["period"] = self.period.to_dict()
        if self.chunk is not None:
            out["chunk"] = self.chunk.to_dict()
        if self.realized is not None:
            out["realized"] = self.realized.to_dict()
        if self.estimation is not None:
            out["estimation"] = self.estimation.to_dict()
        return {**out, **self.extra}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        """Read a report's JSON form; tolerant of reports of earlier versions."""
        known = {f for f in cls.__dataclass_fields__} | {"champion", "metrics"}
        champion = data.get("champion") or {}
        decision = data.get("decision")
        blocks, ipip = data.get("blocks"), data.get("ipip")
        period, chunk = data.get("period"), data.get("chunk")
        estimation = data.get("estimation")
        return cls(
            run_id=str(data.get("run_id", "")),
            pipeline=str(data.get("pipeline", "")),
            status=str(data.get("status", "")),
            error=data.get("error"),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            file=data.get("file"),
            rows=data.get("rows"),
            labelled=bool(data.get("labelled")),
            task=data.get("task"),
            notes=tuple(data.get("notes") or ()),
            decision=Decision.from_dict(decision) if isinstance(decision, dict) else None,
            signals={
                name: Signal(
                    name, bool(s.get("fired")), s.get("summary", ""), s.get("details") or {}
                )
                for name, s in (data.get("signals") or {}).items()
                if isinstance(s, dict)
            },
            champion_before=champion.get("before"),
            champion_after=champion.get("after"),
            champion_metrics=dict((data.get("metrics") or {}).get("champion_on_batch") or {}),
            challengers=tuple(ChallengerEntry.from_dict(c) for c in data.get("challengers") or ()),
            drift=data.get("drift"),
            timings=dict(data.get("timings") or {}),
            candidates=tuple(CandidateEntry.from_dict(c) for c in data.get("candidates") or ()),
            change_point=data.get("change_point"),
            attention=None if data.get("attention") is None else tuple(data["attention"]),
            period=Period.from_dict(period) if isinstance(period, dict) else None,
            blocks=BlocksSection.from_dict(blocks) if isinstance(blocks, dict) else None,
            ipip=IPIPSection.from_dict(ipip) if isinstance(ipip, dict) else None,
            chunk=ChunkSection.from_dict(chunk) if isinstance(chunk, dict) else None,
            realized=_realized(data.get("realized")),
            estimation=EstimationSection.from_dict(estimation)
            if isinstance(estimation, dict)
            else None,
            extra={k: v for k, v in data.items() if k not in known},
            schema_version=int(data.get("schema_version") or SCHEMA_VERSION),
        )


def _realized(data: Any) -> RealizedSection | None:
    return RealizedSection.from_dict(data) if isinstance(data, dict) else None
