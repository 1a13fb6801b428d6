"""Mann-Whitney equals scipy's mannwhitneyu (two-sided) to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.drift import get_test

RNG = np.random.default_rng(42)
CASES = [
    (RNG.normal(size=n1), RNG.normal(shift, 1.3, size=n2))
    for n1, n2, shift in [(40, 55, 0.0), (300, 200, 0.2), (2000, 3000, 0.05), (12000, 9000, 0.03)]
]
TIES = (RNG.integers(0, 8, 500).astype(float), RNG.integers(0, 9, 700).astype(float))


@pytest.mark.parametrize("x, y", [*CASES, TIES])
def test_mann_whitney_matches_scipy(x, y):
    ours = get_test("mann_whitney")(x, y)
    theirs = stats.mannwhitneyu(x, y, alternative="two-sided")
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)
