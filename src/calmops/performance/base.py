"""The results of a label-free performance estimate, and the estimator interface.

An :class:`Estimate` holds one :class:`EstimatedMetric` per metric (value and interval), the
method that produced it, whether it can be trusted and, when not, why (``caveats``). Every
estimator implements :class:`PerformanceEstimator`: ``estimate`` on an unlabelled batch,
``save`` into a model version folder, and a ``state`` that :func:`calmops.performance.
load_estimator` turns back into the same estimator.

>>> e = Estimate("cbpe", 500, {"accuracy": EstimatedMetric("accuracy", 0.9, 0.87, 0.93)},
...              True, ())
>>> Estimate.from_dict(e.to_dict()) == e
True
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from calmops.atomic import staged_folder
from calmops.errors import SpecError
from calmops.registry import unknown_name

__all__ = [
    "FOLDER",
    "MIN_ROWS",
    "STATE_FILE",
    "EstimatedMetric",
    "Estimate",
    "PerformanceEstimator",
    "chosen_metrics",
]

MIN_ROWS = 100
"""Fewer held-out rows than this: the estimator is fitted but its estimates are untrusted."""

FOLDER = "performance"
"""Sub-folder of a model version folder holding the estimator's files."""

STATE_FILE = "estimator.json"


@dataclass(frozen=True)
class EstimatedMetric:
    """One estimated metric: its value and the interval the realized value should fall in."""

    name: str
    value: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "low": self.low, "high": self.high}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EstimatedMetric:
        return cls(
            str(data["name"]),
            _float(data["value"]),
            _float(data["low"]),
            _float(data["high"]),
        )


@dataclass(frozen=True)
class Estimate:
    """A batch's estimated performance.

    ``method``: ``cbpe``, ``dle`` or ``none``; ``rows``: the batch's rows; ``trusted``: false
    when a caveat applies (the numbers, if any, are then only indicative).
    """

    method: str
    rows: int
    metrics: dict[str, EstimatedMetric] = field(default_factory=dict)
    trusted: bool = True
    caveats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "rows": self.rows,
            "metrics": {name: m.to_dict() for name, m in self.metrics.items()},
            "trusted": self.trusted,
            "caveats": list(self.caveats),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Estimate:
        return cls(
            str(data["method"]),
            int(data["rows"]),
            {k: EstimatedMetric.from_dict(v) for k, v in (data.get("metrics") or {}).items()},
            bool(data.get("trusted", False)),
            tuple(data.get("caveats") or ()),
        )


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)


def chosen_metrics(requested: Iterable[str] | None, available: tuple[str, ...]) -> list[str]:
    """The metrics to estimate: all ``available`` ones, or the ``requested`` (checked).

    >>> chosen_metrics(None, ("mae", "rmse")), chosen_metrics(["rmse"], ("mae", "rmse"))
    (['mae', 'rmse'], ['rmse'])
    """
    if requested is None:
        return list(available)
    names = [requested] if isinstance(requested, str) else list(requested)
    for name in names:
        if name not in available:
            raise SpecError(unknown_name("estimable metric", name, available))
    return names


class PerformanceEstimator(ABC):
    """Estimates a model's performance on a batch without its labels.

    Subclasses set ``name`` (the ``method`` of their estimates), implement ``estimate`` and
    ``state`` (plain JSON) and the class method ``from_state``; ``files`` returns binary files
    to store beside the state (written with their SHA-256 in the state by :meth:`save`).
    """

    name: ClassVar[str]
    metric_names: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def estimate(
        self,
        X,
        predicted,
        proba=None,
        *,
        metrics: Iterable[str] | None = None,
        confidence: float = 0.95,
        seed: int = 0,
    ) -> Estimate:
        """The estimated performance on this unlabelled batch."""

    @abstractmethod
    def state(self) -> dict[str, Any]:
        """Everything needed to rebuild the estimator, as plain JSON values."""

    @classmethod
    @abstractmethod
    def from_state(cls, state: dict[str, Any], folder: Path) -> PerformanceEstimator:
        """The estimator saved with ``state`` (its files are in ``folder``)."""

    def write_files(self, folder: Path) -> dict[str, Any]:
        """Write binary files into ``folder``; return what to record in the state."""
        return {}

    def save(self, folder: Path) -> None:
        """Write the estimator into ``folder/performance/``, whole or not at all."""
        with staged_folder(Path(folder) / FOLDER) as staged:
            state = {"method": self.name, **self.state(), **self.write_files(staged.path)}
            text = json.dumps(state, indent=1, allow_nan=True, default=_json_default)
            (staged.path / STATE_FILE).write_text(text, encoding="utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in {STATE_FILE}")
