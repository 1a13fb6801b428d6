"""Population stability index (numeric and categorical columns)."""

from __future__ import annotations

import numpy as np

from calmops.drift.base import ANY_KIND, DistanceTest
from calmops.drift.sides import EPSILON, Side, proportions

__all__ = ["PSI"]


class PSI(DistanceTest):
    """``PSI = sum((q - p) * ln(q / p))`` over bins, with ``p`` the reference and ``q`` the
    current proportions; empty bins get ``1e-4``. Numbers use equal-mass bins at the
    reference deciles (two open tails catch values outside the reference range),
    categories use their union. Threshold 0.1 (the usual bands: < 0.1 stable,
    0.1-0.25 moderate shift, > 0.25 major shift).

    Examples
    --------
    >>> ref = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    >>> cur = ["a"] * 40 + ["b"] * 35 + ["c"] * 25
    >>> round(PSI()(ref, cur).statistic, 4)
    0.0412

    References
    ----------
    Yurdakul, B. (2018). Statistical properties of population stability index.
    """

    name = "psi"
    applies_to = ANY_KIND

    def compute(self, reference: Side, current: Side) -> tuple[float, None]:
        p, q = proportions(reference, current, epsilon=EPSILON)
        return float(np.sum((q - p) * np.log(q / p))), None
