"""KS equals scipy's ks_2samp (statistic and p-value, exact and asymptotic) to 1e-9."""

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
def test_ks_matches_scipy(x, y):
    ours = get_test("ks")(x, y)
    theirs = stats.ks_2samp(x, y)
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_ks_on_sorted_large_sides_equals_scipy_bit_for_bit_with_ties(seed) -> None:
    from calmops.drift.ks import ks_sorted

    rng = np.random.default_rng(seed)
    a = np.sort(np.round(rng.normal(size=int(rng.integers(10_001, 60_000))), 1))
    b = np.sort(np.round(rng.normal(0.02 * seed, size=int(rng.integers(10_001, 90_000))), 1))
    expected = stats.ks_2samp(a, b)
    assert ks_sorted(a, b) == (float(expected.statistic), float(expected.pvalue))
    assert ks_sorted(b, a) == (
        float(stats.ks_2samp(b, a).statistic),
        float(stats.ks_2samp(b, a).pvalue),
    )
