"""The chi-square test of homogeneity equals scipy's chi2_contingency (no Yates)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from calmops.drift import get_test

RNG = np.random.default_rng(42)


@pytest.mark.parametrize(
    "ref, cur",
    [
        (["a"] * 30 + ["b"] * 50 + ["c"] * 20, ["a"] * 45 + ["b"] * 40 + ["c"] * 10 + ["d"] * 5),
        (list(RNG.choice(list("pqrstu"), 5000)), list(RNG.choice(list("pqrstu"), 3000))),
        (["x"] * 10 + ["y"] * 90, ["x"] * 25 + ["y"] * 75),
    ],
)
def test_chi2_matches_chi2_contingency(ref, cur):
    ours = get_test("chi2")(ref, cur)
    labels = sorted(set(ref) | set(cur))
    table = np.array([[ref.count(k) for k in labels], [cur.count(k) for k in labels]])
    theirs = stats.chi2_contingency(table, correction=False)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-14)


def test_chi2_single_category_is_no_drift():
    result = get_test("chi2")(["a"] * 10, ["a"] * 30)
    assert (result.statistic, result.p_value, result.verdict.value) == (0.0, 1.0, "no_drift")
