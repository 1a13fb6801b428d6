"""Mann-Whitney U test (numeric columns)."""

from __future__ import annotations

from scipy import stats

from calmops.drift.base import NUMERIC, PValueTest
from calmops.drift.sides import NumericSide

__all__ = ["MannWhitney"]


class MannWhitney(PValueTest):
    """Two-sided Mann-Whitney U test (scipy's ``mannwhitneyu``, continuity-corrected normal
    approximation for large or tied samples). It detects a shift in location, not a change
    of spread: pair it with KS or a distance when the shape may change.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> MannWhitney()(rng.normal(size=400), rng.normal(0.4, size=400)).drift
    True

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables
    is stochastically larger than the other.
    """

    name = "mann_whitney"
    applies_to = NUMERIC
    side = NumericSide

    def compute(self, reference: NumericSide, current: NumericSide) -> tuple[float, float]:
        result = stats.mannwhitneyu(reference.sample, current.sample, alternative="two-sided")
        return float(result.statistic), float(result.pvalue)
