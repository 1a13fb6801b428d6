"""Two-sample Kolmogorov-Smirnov test (numeric columns)."""

from __future__ import annotations

from scipy import stats

from calmops.drift.base import NUMERIC, PValueTest
from calmops.drift.sides import NumericSide

__all__ = ["KS"]


class KS(PValueTest):
    """Largest distance between the two empirical CDFs, with scipy's p-value
    (exact when both sides have at most 10,000 values, else Smirnov's asymptotic law).

    Against two tables, or a profile of at most ``cap`` rows (100,000 by default), the
    statistic and p-value are scipy's on the full data. Above the cap a profile keeps a
    seeded uniform random sample of ``cap`` rows: the test stays calibrated and has the
    power of ``n_ref = cap`` (effective size ``n_ref * n_cur / (n_ref + n_cur)``).

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
