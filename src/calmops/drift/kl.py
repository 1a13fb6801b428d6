"""Kullback-Leibler divergence of the reference from the current data."""

from __future__ import annotations

import numpy as np

from calmops.drift.base import ANY_KIND, DistanceTest
from calmops.drift.sides import EPSILON, Side, proportions

__all__ = ["KL"]


class KL(DistanceTest):
    """``KL(p || q) = sum(p * ln(p / q))`` with ``p`` the reference and ``q`` the current
    proportions over the same bins or categories (empty bins get ``1e-4``). Asymmetric and
    unbounded; threshold 0.1.

    Examples
    --------
    >>> ref = ["a"] * 50 + ["b"] * 50
    >>> cur = ["a"] * 25 + ["b"] * 75
    >>> round(KL()(ref, cur).statistic, 4)
    0.1438

    References
    ----------
    Kullback, S. and Leibler, R. A. (1951). On information and sufficiency.
    """

    name = "kl"
    applies_to = ANY_KIND

    def compute(self, reference: Side, current: Side) -> tuple[float, None]:
        p, q = proportions(reference, current, epsilon=EPSILON)
        return float(np.sum(p * np.log(p / q))), None
