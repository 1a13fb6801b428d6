"""Energy distance normed by the reference standard deviation (numeric columns)."""

from __future__ import annotations

import math

from calmops.drift.base import NUMERIC, DistanceTest
from calmops.drift.sides import NumericSide
from calmops.drift.wasserstein import cdf_distance, scale

__all__ = ["Energy"]


class Energy(DistanceTest):
    """Energy distance, ``sqrt(2)`` times the L2 distance between the empirical CDFs (as
    ``scipy.stats.energy_distance``), divided by the reference standard deviation so the
    threshold (0.1) does not depend on the unit of the column.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> Energy()(rng.normal(size=2000), rng.normal(size=2000)).verdict.value
    'no_drift'

    References
    ----------
    Székely, G. J. and Rizzo, M. L. (2013). Energy statistics: a class of statistics based
    on distances.
    """

    name = "energy"
    applies_to = NUMERIC
    side = NumericSide

    def compute(self, reference: NumericSide, current: NumericSide) -> tuple[float, None]:
        distance = math.sqrt(2) * cdf_distance(reference.sample, current.sample, p=2)
        return distance / scale(reference, current), None
