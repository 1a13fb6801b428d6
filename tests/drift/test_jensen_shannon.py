"""Jensen-Shannon against hand-computed values and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from calmops.drift import get_test

REF = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
CUR = ["a"] * 40 + ["b"] * 35 + ["c"] * 25


def test_jensen_shannon_by_hand_and_against_scipy():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.35, 0.25])
    m = (p + q) / 2
    by_hand = math.sqrt((np.sum(p * np.log(p / m)) + np.sum(q * np.log(q / m))) / 2)
    result = get_test("jensen_shannon")(REF, CUR)
    assert result.statistic == pytest.approx(by_hand, rel=1e-12)
    assert result.statistic == pytest.approx(jensenshannon(p, q), rel=1e-9)
    assert result.verdict.value == "warning"  # 0.0717: visible, below Evidently's 0.1


def test_jensen_shannon_of_disjoint_sides_is_its_maximum():
    result = get_test("jensen_shannon")(["a"] * 5, ["b"] * 5)
    assert result.statistic == pytest.approx(math.sqrt(math.log(2)), rel=1e-12)
