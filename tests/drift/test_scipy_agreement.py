"""Every p-value test agrees with scipy to 1e-9 where the definitions match (full data)."""

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


@pytest.mark.parametrize("x, y", [*CASES, TIES])
def test_ks_matches_scipy(x, y):
    ours = get_test("ks")(x, y)
    theirs = stats.ks_2samp(x, y)
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("x, y", [*CASES[:3], TIES])
def test_cvm_matches_scipy(x, y):
    ours = get_test("cvm")(x, y)
    theirs = stats.cramervonmises_2samp(x, y)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("x, y", [*CASES[:3], TIES])
def test_anderson_matches_scipy(x, y):
    ours = get_test("anderson")(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = stats.anderson_ksamp([x, y], variant="midrank")
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)


@pytest.mark.parametrize("x, y", [*CASES, TIES])
def test_mann_whitney_matches_scipy(x, y):
    ours = get_test("mann_whitney")(x, y)
    theirs = stats.mannwhitneyu(x, y, alternative="two-sided")
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


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
