"""The two-proportion Z test against the textbook formula and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.drift import get_test


def test_z_matches_the_textbook_formula_and_chi2():
    ref, cur = [1] * 120 + [0] * 80, [1] * 90 + [0] * 110
    result = get_test("z")(ref, cur)
    p1, p2, pooled = 0.6, 0.45, 210 / 400
    z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / 200 + 1 / 200))
    assert result.statistic == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)
    # a two-sided pooled z test is the 2x2 chi-square test without continuity correction
    chi2 = stats.chi2_contingency([[120, 80], [90, 110]], correction=False)
    assert result.p_value == pytest.approx(chi2.pvalue, rel=1e-9)


def test_z_with_identical_single_category_is_no_drift():
    result = get_test("z")([1] * 50, [1] * 70)
    assert result.p_value == 1.0 and not result.drift
