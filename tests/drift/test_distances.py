"""PSI, KL, Jensen-Shannon, Hellinger, normed Wasserstein and energy: hand-computed values
and scipy where it has the same definition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from calmops.drift import get_test
from calmops.drift.sides import CategoricalSide, NumericSide

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


def test_kl_by_hand_and_against_scipy_entropy():
    expected = 0.5 * math.log(0.5 / 0.4) + 0.3 * math.log(0.3 / 0.35) + 0.2 * math.log(0.2 / 0.25)
    result = get_test("kl")(REF, CUR)
    assert result.statistic == pytest.approx(expected, rel=1e-12)
    assert result.statistic == pytest.approx(stats.entropy([0.5, 0.3, 0.2], [0.4, 0.35, 0.25]))


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


def test_hellinger_by_hand():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.35, 0.25])
    expected = math.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2)
    assert get_test("hellinger")(REF, CUR).statistic == pytest.approx(expected, rel=1e-12)
    assert get_test("hellinger")(["a"], ["b"]).statistic == pytest.approx(1.0)


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


@pytest.mark.parametrize("n1, n2", [(40, 60), (2500, 3500)])
def test_energy_is_scipy_over_reference_std(n1, n2):
    rng = np.random.default_rng(n2)
    x, y = rng.normal(0, 5, n1), rng.normal(1, 5, n2)
    expected = stats.energy_distance(x, y) / np.std(x)
    assert get_test("energy")(x, y).statistic == pytest.approx(expected, rel=1e-9)


def test_numeric_distances_need_shared_edges():
    ref = NumericSide.from_values(np.arange(100.0))
    cur = NumericSide.from_values(np.arange(50.0))  # its own edges
    with pytest.raises(ValueError, match="share bin edges"):
        get_test("psi")(ref, cur)


def test_categorical_sides_align_on_the_union():
    ref = CategoricalSide.from_values(["a", "b"])
    cur = CategoricalSide.from_values(["c", "c"])
    assert get_test("hellinger")(ref, cur).statistic == pytest.approx(1.0)
