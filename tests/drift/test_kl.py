"""KL against hand-computed values and scipy's entropy."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from calmops.drift import get_test

REF = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
CUR = ["a"] * 40 + ["b"] * 35 + ["c"] * 25


def test_kl_by_hand_and_against_scipy_entropy():
    expected = 0.5 * math.log(0.5 / 0.4) + 0.3 * math.log(0.3 / 0.35) + 0.2 * math.log(0.2 / 0.25)
    result = get_test("kl")(REF, CUR)
    assert result.statistic == pytest.approx(expected, rel=1e-12)
    assert result.statistic == pytest.approx(stats.entropy([0.5, 0.3, 0.2], [0.4, 0.35, 0.25]))
