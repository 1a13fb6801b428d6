"""The null estimator: performance cannot be estimated for this model, and why.

>>> e = Unavailable("the model has no predict_proba").estimate(None, [0, 1], None)
>>> e.method, e.trusted, e.caveats
('none', False, ('the model has no predict_proba',))
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from calmops.performance.base import Estimate, PerformanceEstimator

__all__ = ["Unavailable"]


class Unavailable(PerformanceEstimator):
    """Estimates nothing; every estimate carries ``reason`` as its caveat."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

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
        rows = 0 if predicted is None else len(predicted)
        return Estimate(self.name, rows, {}, False, (self.reason,))

    def state(self) -> dict[str, Any]:
        return {"reason": self.reason}

    @classmethod
    def from_state(cls, state: dict[str, Any], folder: Path) -> Unavailable:
        return cls(str(state["reason"]))
