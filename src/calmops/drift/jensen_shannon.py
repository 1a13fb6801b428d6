"""Jensen-Shannon distance (numeric and categorical columns)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import rel_entr

from calmops.drift.base import ANY_KIND, DistanceTest
from calmops.drift.sides import Side, proportions

__all__ = ["JensenShannon"]


class JensenShannon(DistanceTest):
    """The square root of the Jensen-Shannon divergence (natural logarithm, as
    ``scipy.spatial.distance.jensenshannon`` and Evidently), between 0 and ``sqrt(ln 2)``
    ~ 0.833. Symmetric and finite even when a category is seen on one side only.
    Threshold 0.1, Evidently's large-sample default for categories.

    Examples
    --------
    >>> ref = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    >>> cur = ["a"] * 40 + ["b"] * 35 + ["c"] * 25
    >>> result = JensenShannon()(ref, cur)
    >>> round(result.statistic, 4), result.verdict.value
    (0.0717, 'warning')

    References
    ----------
    Lin, J. (1991). Divergence measures based on the Shannon entropy.
    """

    name = "jensen_shannon"
    applies_to = ANY_KIND

    def compute(self, reference: Side, current: Side) -> tuple[float, None]:
        p, q = proportions(reference, current)
        m = (p + q) / 2
        divergence = (np.sum(rel_entr(p, m)) + np.sum(rel_entr(q, m))) / 2
        return math.sqrt(max(float(divergence), 0.0)), None
