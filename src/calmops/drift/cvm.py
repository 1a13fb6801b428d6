"""Two-sample Cramér-von Mises test (numeric columns)."""

from __future__ import annotations

from scipy import stats

from calmops.drift.base import NUMERIC, PValueTest
from calmops.drift.sides import NumericSide

__all__ = ["CramerVonMises"]


class CramerVonMises(PValueTest):
    """Integrated squared distance between the empirical CDFs (scipy's
    ``cramervonmises_2samp``: exact p-value for small samples, asymptotic otherwise).
    More sensitive than KS to changes spread over the whole distribution.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> CramerVonMises()(rng.normal(size=300), rng.normal(size=300)).verdict.value
    'no_drift'

    References
    ----------
    Anderson, T. W. (1962). On the distribution of the two-sample Cramér-von Mises criterion.
    """

    name = "cvm"
    applies_to = NUMERIC
    side = NumericSide

    def compute(self, reference: NumericSide, current: NumericSide) -> tuple[float, float]:
        result = stats.cramervonmises_2samp(reference.sample, current.sample)
        return float(result.statistic), float(result.pvalue)
