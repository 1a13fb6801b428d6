"""Pearson chi-square test of homogeneity (categorical columns)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from calmops.drift.base import CATEGORICAL, PValueTest
from calmops.drift.sides import CategoricalSide, aligned_counts

__all__ = ["ChiSquare"]


class ChiSquare(PValueTest):
    """Chi-square test on the 2 x k table of category counts (reference, current), as
    ``scipy.stats.chi2_contingency(table, correction=False)``.

    Categories are the union of both sides; a category seen on one side only keeps a zero
    count there. Unlike a goodness-of-fit test against reference proportions, the
    homogeneity test needs no smoothing for unseen categories: every expected count is
    positive because each category has a positive column total. With a single category
    overall the statistic is 0 and the p-value 1.

    Examples
    --------
    >>> ref = ["a"] * 50 + ["b"] * 50
    >>> cur = ["a"] * 30 + ["b"] * 60 + ["c"] * 10
    >>> result = ChiSquare()(ref, cur)
    >>> round(result.statistic, 3), result.verdict.value
    (15.909, 'drift')

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of deviations ... (chi-square).
    """

    name = "chi2"
    applies_to = CATEGORICAL
    side = CategoricalSide

    def compute(self, reference: CategoricalSide, current: CategoricalSide) -> tuple[float, float]:
        _, r, c = aligned_counts(reference, current)
        if r.size < 2:
            return 0.0, 1.0
        table = np.vstack([r, c]).astype("float64")
        expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
        statistic = float(((table - expected) ** 2 / expected).sum())
        return statistic, float(stats.chi2.sf(statistic, r.size - 1))
