"""Two-sample Kolmogorov-Smirnov test (numeric columns)."""

from __future__ import annotations

from scipy import stats

from calmops.drift.base import NUMERIC, PValueTest
from calmops.drift.sides import NumericSide

__all__ = ["KS"]


class KS(PValueTest):
    """Largest distance between the two empirical CDFs, with scipy's p-value
    (exact when both sides have at most 10,000 values, else Smirnov's asymptotic law).

    A profiled reference keeps a seeded random sample of at most ``cap`` values (10,000 by
    default), so against a large reference the test has the power of ``n_ref = cap``:
    the effective size ``n_ref * n_cur / (n_ref + n_cur)`` stays below the cap.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> KS()(rng.normal(size=500), rng.normal(0.3, size=500)).verdict.value
    'drift'

    References
    ----------
    Hodges, J. L. (1958). The significance probability of the Smirnov two-sample test.
    """

    name = "ks"
    applies_to = NUMERIC
    side = NumericSide

    def compute(self, reference: NumericSide, current: NumericSide) -> tuple[float, float]:
        result = stats.ks_2samp(reference.sample, current.sample)
        return float(result.statistic), float(result.pvalue)
