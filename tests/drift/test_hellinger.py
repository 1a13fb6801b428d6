"""Hellinger against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calmops.drift import get_test

REF = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
CUR = ["a"] * 40 + ["b"] * 35 + ["c"] * 25


def test_hellinger_by_hand():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.35, 0.25])
    expected = math.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2)
    assert get_test("hellinger")(REF, CUR).statistic == pytest.approx(expected, rel=1e-12)
    assert get_test("hellinger")(["a"], ["b"]).statistic == pytest.approx(1.0)
