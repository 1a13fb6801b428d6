"""The performance sections of a run report: the label-free estimate made during the run, and
the realized metrics of labels that arrived after it.

::

    estimation EstimationSection  method, trusted, caveats, metric, metrics {name:
                                  {estimated, low, high, realized}}, error, coverage
    realized   RealizedSection    labels joined after the run (``calmops labels``)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calmops.pipeline.sections import _compact, _known

__all__ = ["EstimationSection", "RealizedSection"]


@dataclass(frozen=True)
class RealizedSection:
    """Labels that arrived after the run (``calmops labels``): the realized metrics of the
    champion's logged predictions on the rows they matched (the report's ``realized``).

    >>> section = RealizedSection("labels.csv", ("id",), "y", 80, 100, 0, "accuracy",
    ...                           {"accuracy": 0.9}, 3, "2026-12-04T18:00:00+00:00")
    >>> RealizedSection.from_dict(section.to_dict()) == section
    True
    """

    labels_file: str
    key: tuple[str, ...]
    target: str
    matched: int  # rows of the run's log that got a label
    logged: int  # rows the run logged
    duplicates: int  # labels given more than once for one key (the last one counts)
    metric: str | None  # the decision metric
    metrics: dict[str, float]
    model_version: int | None
    at: str  # when the labels were joined (ISO time)

    def to_dict(self) -> dict[str, Any]:
        return {**_compact(self), "key": list(self.key)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RealizedSection:
        return cls(
            labels_file=str(data.get("labels_file", "")),
            key=tuple(data.get("key") or ()),
            target=str(data.get("target", "")),
            matched=int(data.get("matched") or 0),
            logged=int(data.get("logged") or 0),
            duplicates=int(data.get("duplicates") or 0),
            metric=data.get("metric"),
            metrics=dict(data.get("metrics") or {}),
            model_version=data.get("model_version"),
            at=str(data.get("at", "")),
        )


@dataclass(frozen=True)
class EstimationSection:
    """The champion's label-free performance estimate on the batch (``calmops.performance``)
    and, on a labelled batch, the realized value beside it.

    ``metrics``: ``{name: {estimated, low, high, realized}}`` (``realized`` None without
    labels); ``error``: realized − estimated of the decision metric on this batch;
    ``coverage``: ``{"hits", "batches"}`` — how many of the last labelled batches had their
    realized value inside the estimate's interval.

    >>> section = EstimationSection("cbpe", True, (), 0.95, "accuracy",
    ...     {"accuracy": {"estimated": 0.9, "low": 0.85, "high": 0.94, "realized": 0.88}})
    >>> EstimationSection.from_dict(section.to_dict()) == section
    True
    """

    method: str
    trusted: bool
    caveats: tuple[str, ...] = ()
    confidence: float = 0.95
    metric: str | None = None  # the decision metric
    metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)
    error: float | None = None
    coverage: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**_compact(self), "caveats": list(self.caveats)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EstimationSection:
        known = _known(cls, data)
        return cls(
            **{
                **known,
                "method": str(data.get("method", "")),
                "trusted": bool(data.get("trusted")),
                "caveats": tuple(str(c) for c in data.get("caveats") or ()),
                "metrics": {k: dict(v) for k, v in (data.get("metrics") or {}).items()},
            }
        )
