"""Anderson-Darling equals scipy's anderson_ksamp (midrank) to 1e-9."""

from __future__ import annotations

import warnings

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


@pytest.mark.parametrize("x, y", [*CASES[:3], TIES])
def test_anderson_matches_scipy(x, y):
    ours = get_test("anderson")(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = stats.anderson_ksamp([x, y], variant="midrank")
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
