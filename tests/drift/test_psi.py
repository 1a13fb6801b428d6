"""PSI against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calmops.drift import get_test
from calmops.drift.sides import NumericSide

REF = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
CUR = ["a"] * 40 + ["b"] * 35 + ["c"] * 25


def test_psi_by_hand():
    expected = (0.4 - 0.5) * math.log(0.4 / 0.5)
    expected += (0.35 - 0.3) * math.log(0.35 / 0.3) + (0.25 - 0.2) * math.log(0.25 / 0.2)
    assert get_test("psi")(REF, CUR).statistic == pytest.approx(expected, rel=1e-12)


def test_psi_smooths_empty_bins_with_epsilon():
    result = get_test("psi")(["a"] * 10, ["a"] * 5 + ["b"] * 5)
    expected = (0.5 - 1) * math.log(0.5 / 1) + (0.5 - 1e-4) * math.log(0.5 / 1e-4)
    assert result.statistic == pytest.approx(expected, rel=1e-12)
    assert math.isfinite(result.statistic) and result.drift


def test_psi_on_numbers_uses_reference_deciles():
    ref = np.arange(1000.0)
    cur = np.arange(1000.0) + 100  # the top decile gains 10%, the bottom loses 10%
    side = NumericSide.from_values(ref)
    assert side.counts.tolist() == [100] * 10
    result = get_test("psi")(side, NumericSide.from_values(cur, edges=side.edges))
    expected = (0.2 - 0.1) * math.log(2.0) + (0.0001 - 0.1) * math.log(0.0001 / 0.1)
    assert result.statistic == pytest.approx(expected, rel=1e-9)
