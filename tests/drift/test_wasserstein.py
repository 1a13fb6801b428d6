"""Normed Wasserstein against scipy's wasserstein_distance over the reference std."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.drift import get_test


@pytest.mark.parametrize("n1, n2", [(50, 70), (3000, 2000)])
def test_wasserstein_is_scipy_over_reference_std(n1, n2):
    rng = np.random.default_rng(n1)
    x, y = rng.normal(3, 2, n1), rng.gamma(2, 2, n2)
    expected = stats.wasserstein_distance(x, y) / np.std(x)
    assert get_test("wasserstein")(x, y).statistic == pytest.approx(expected, rel=1e-9)


def test_wasserstein_of_a_pure_shift_is_the_shift_in_stds():
    x = np.arange(100.0)
    assert get_test("wasserstein")(x, x + np.std(x) * 0.25).statistic == pytest.approx(0.25)


def test_wasserstein_with_constant_reference_uses_current_scale():
    result = get_test("wasserstein")(np.full(50, 3.0), np.array([2.0, 4.0] * 25))
    assert result.statistic == pytest.approx(1.0)  # W = 1, current std = 1
