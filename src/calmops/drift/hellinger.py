"""Hellinger distance (numeric and categorical columns)."""

from __future__ import annotations

import math

import numpy as np

from calmops.drift.base import ANY_KIND, DistanceTest
from calmops.drift.sides import Side, proportions

__all__ = ["Hellinger"]


class Hellinger(DistanceTest):
    """``H = sqrt(sum((sqrt(p) - sqrt(q))**2) / 2)`` between the reference and current
    proportions, from 0 (same) to 1 (disjoint). Threshold 0.1.

    Examples
    --------
    >>> ref = ["a"] * 50 + ["b"] * 50
    >>> cur = ["a"] * 25 + ["b"] * 75
    >>> round(Hellinger()(ref, cur).statistic, 4)
    0.1846

    References
    ----------
    Hellinger, E. (1909). Neue Begründung der Theorie quadratischer Formen.
    """

    name = "hellinger"
    applies_to = ANY_KIND

    def compute(self, reference: Side, current: Side) -> tuple[float, None]:
        p, q = proportions(reference, current)
        return math.sqrt(float(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / 2), None
