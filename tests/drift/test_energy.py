"""Normed energy distance against scipy's energy_distance over the reference std."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.drift import get_test


@pytest.mark.parametrize("n1, n2", [(40, 60), (2500, 3500)])
def test_energy_is_scipy_over_reference_std(n1, n2):
    rng = np.random.default_rng(n2)
    x, y = rng.normal(0, 5, n1), rng.normal(1, 5, n2)
    expected = stats.energy_distance(x, y) / np.std(x)
    assert get_test("energy")(x, y).statistic == pytest.approx(expected, rel=1e-9)
