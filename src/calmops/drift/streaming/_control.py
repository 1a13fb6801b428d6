"""What CUSUM and EWMA share: a warm-up that learns the in-control mean and standard
deviation (unless given), then standardised updates, and a fresh start after a drift."""

from __future__ import annotations

import math
from abc import abstractmethod
from typing import Any

from calmops.drift.streaming.base import Detector

__all__ = ["ControlChart"]


class ControlChart(Detector):
    """Base of control charts. Subclasses implement ``_step(z)`` on the standardised value
    and ``_chart_state`` / ``_chart_restore`` / ``_chart_reset``."""

    def _reset(self) -> None:
        self._n = 0
        self._sum = 0.0
        self._sum_sq = 0.0
        self._mean: float | None = self._params.get("mean")
        self._std: float | None = self._params.get("std")
        self._drift = False
        self._warning = False
        self._chart_reset()

    def update(self, x: float) -> None:
        if self._drift:
            self._reset()
        x = float(x)
        if not math.isfinite(x):
            raise ValueError(f"{self.name}: cannot update with {x!r}")
        if self._mean is None or self._std is None:
            self._n += 1
            self._sum += x
            self._sum_sq += x * x
            if self._n >= self._params["warmup"]:
                mean = self._sum / self._n
                var = max(self._sum_sq / self._n - mean * mean, 0.0) * self._n / (self._n - 1)
                floor = 1e-3 * max(abs(mean), 1.0)
                self._mean = mean if self._mean is None else self._mean
                self._std = max(math.sqrt(var), floor) if self._std is None else self._std
            return
        self._drift, self._warning = self._step((x - self._mean) / self._std)

    @property
    def drift_detected(self) -> bool:
        return self._drift

    @property
    def warning_detected(self) -> bool:
        return self._warning

    def _state(self) -> dict[str, Any]:
        return {
            "n": self._n,
            "sum": self._sum,
            "sum_sq": self._sum_sq,
            "mean": self._mean,
            "std": self._std,
            "drift": self._drift,
            "warning": self._warning,
            **self._chart_state(),
        }

    def _restore(self, state: dict[str, Any]) -> None:
        self._n = int(state["n"])
        self._sum = float(state["sum"])
        self._sum_sq = float(state["sum_sq"])
        self._mean = state["mean"]
        self._std = state["std"]
        self._drift = bool(state["drift"])
        self._warning = bool(state["warning"])
        self._chart_restore(state)

    @abstractmethod
    def _step(self, z: float) -> tuple[bool, bool]:
        """Read one standardised value; return ``(drift, warning)``."""

    @abstractmethod
    def _chart_reset(self) -> None:
        """Forget the chart's statistic."""

    @abstractmethod
    def _chart_state(self) -> dict[str, Any]:
        """The chart's statistic, JSON-ready."""

    @abstractmethod
    def _chart_restore(self, state: dict[str, Any]) -> None:
        """Set the chart's statistic from :meth:`_chart_state`."""
