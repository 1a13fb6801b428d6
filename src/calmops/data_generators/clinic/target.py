"""The target: a weighted sum of z-scores of named columns plus noise, optionally 0/1.

``score = sum_c w_c (x_c - mean_c) / sd_c + N(0, noise_sd)``. The means and standard
deviations come from the first visit and stay fixed, so a change in a column at a later
visit moves the target by a known amount (concept drift with a known cause). ``sex`` counts
as 1 for M, 0 for F; ``disease`` is 1 for patients outside the control group at that visit.
With a threshold the target is ``1`` where the score is above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calmops.data_generators.clinic.config import TargetSpec

__all__ = ["TargetModel", "fit_target"]

Column = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class TargetModel:
    """The target's weights with the first visit's means and standard deviations."""

    spec: TargetSpec
    centre: dict[str, float]
    spread: dict[str, float]

    def score(self, column: Column, rng: np.random.Generator, n: int) -> np.ndarray:
        """The target for ``n`` rows whose columns ``column(name)`` returns."""
        y = np.zeros(n)
        for name, weight in self.spec.weights.items():
            y += weight * (_numeric(column(name)) - self.centre[name]) / self.spread[name]
        y += rng.normal(0.0, self.spec.noise_sd, n) if self.spec.noise_sd else 0.0
        if self.spec.threshold is not None:
            return (y > self.spec.threshold).astype(np.int8)
        return y


def fit_target(spec: TargetSpec, column: Column) -> TargetModel:
    """Fix the z-score of every weighted column on the first visit.

    Examples
    --------
    >>> import numpy as np
    >>> data = {"G_0": np.array([1.0, 2.0, 3.0, 4.0])}
    >>> model = fit_target(TargetSpec(weights={"G_0": 2.0}, noise_sd=0), data.__getitem__)
    >>> model.score(data.__getitem__, np.random.default_rng(0), 4).round(2).tolist()
    [-2.68, -0.89, 0.89, 2.68]
    """
    centre, spread = {}, {}
    for name in spec.weights:
        values = _numeric(column(name))
        centre[name] = float(values.mean())
        sd = float(values.std())
        spread[name] = sd if sd > 0 else 1.0
    return TargetModel(spec, centre, spread)


def _numeric(values: np.ndarray) -> np.ndarray:
    if values.dtype == object:
        return (values == "M").astype(float)
    return values.astype(float)
