"""Two-proportion Z test (binary columns)."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from calmops.drift.base import CATEGORICAL, PValueTest
from calmops.drift.sides import CategoricalSide, aligned_counts

__all__ = ["ZTest"]


class ZTest(PValueTest):
    """Pooled two-proportion Z test on the share of the reference's most frequent category
    (for a binary column, the test is the same whichever category is chosen).

    ``z = (p_cur - p_ref) / sqrt(p (1 - p) (1/n_ref + 1/n_cur))`` with the pooled share ``p``;
    two-sided p-value ``2 * sf(|z|)``. When the pooled share is 0 or 1 both sides agree and
    the p-value is 1.

    Examples
    --------
    >>> result = ZTest()([1] * 60 + [0] * 40, [1] * 40 + [0] * 60)
    >>> round(result.statistic, 3), round(result.p_value, 5)
    (-2.828, 0.00468)

    References
    ----------
    Fleiss, J. L. et al. (2003). Statistical Methods for Rates and Proportions, ch. 2.
    """

    name = "z"
    applies_to = CATEGORICAL
    side = CategoricalSide

    def compute(self, reference: CategoricalSide, current: CategoricalSide) -> tuple[float, float]:
        labels, r, c = aligned_counts(reference, current)
        top = reference.categories[int(np.argmax(reference.counts))]
        k = int(np.flatnonzero(labels == top)[0])
        n1, n2 = int(r.sum()), int(c.sum())
        p1, p2 = r[k] / n1, c[k] / n2
        pooled = (r[k] + c[k]) / (n1 + n2)
        variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        if variance <= 0:
            return 0.0, 1.0
        z = float((p2 - p1) / math.sqrt(variance))
        return z, float(2 * stats.norm.sf(abs(z)))
