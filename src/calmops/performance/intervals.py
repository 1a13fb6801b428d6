"""Turning simulated or approximate spreads into an :class:`EstimatedMetric`.

>>> quantiles(np.arange(101.0), 0.9)
(5.0, 95.0)
>>> estimated("accuracy", 0.8, 0.82, 0.9)
EstimatedMetric(name='accuracy', value=0.8, low=0.8, high=0.9)
"""

from __future__ import annotations

import numpy as np

from calmops.performance.base import EstimatedMetric

__all__ = ["estimated", "quantiles"]


def quantiles(replicates: np.ndarray, confidence: float) -> tuple[float, float]:
    """The central ``confidence`` interval of the finite ``replicates`` (NaN if none)."""
    finite = np.asarray(replicates, dtype=float)
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return float(low), float(high)


def estimated(name: str, value: float, low: float, high: float) -> EstimatedMetric:
    """The metric with its interval widened, if needed, to contain the value."""
    value = float(value)
    if np.isfinite(value):
        low = value if not np.isfinite(low) else min(low, value)
        high = value if not np.isfinite(high) else max(high, value)
    return EstimatedMetric(name, value, float(low), float(high))
