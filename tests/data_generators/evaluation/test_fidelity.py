from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.data_generators import evaluate
from calmops.data_generators.evaluation.fidelity import fidelity, ks_statistic, tv_distance
from calmops.data_generators.evaluation.tables import align

from .conftest import mixed_table, shuffle_columns


@pytest.mark.parametrize(("n_a", "n_b", "discrete"), [(50, 80, False), (300, 200, True)])
def test_ks_is_scipys_two_sample_statistic(n_a, n_b, discrete):
    rng = np.random.default_rng(n_a)
    a, b = rng.normal(size=n_a), rng.normal(0.3, 1.2, size=n_b)
    if discrete:  # ties
        a, b = np.round(a), np.round(b)
    assert ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic, abs=1e-12)


def test_ks_counts_missing_as_an_atom_below_every_value():
    # a: 2 of 4 missing, then 1, 2; b: none missing, 1, 2, 3, 4
    a = np.array([np.nan, np.nan, 1.0, 2.0])
    b = np.array([1.0, 2.0, 3.0, 4.0])
    # CDFs at 1: 3/4 vs 1/4; at 2: 1 vs 1/2; at -inf: 1/2 vs 0
    assert ks_statistic(a, b) == pytest.approx(0.5)
    assert ks_statistic(np.array([np.nan]), np.array([np.nan, np.nan])) == 0.0


def test_tv_is_half_the_l1_distance_of_shares():
    a = np.array([0, 0, 0, 1, 2, 2])  # 1/2, 1/6, 1/3
    b = np.array([0, 1, 1, 1])  # 1/4, 3/4, 0
    expected = 0.5 * (abs(1 / 2 - 1 / 4) + abs(1 / 6 - 3 / 4) + abs(1 / 3 - 0))
    assert tv_distance(a, b, 3) == pytest.approx(expected)


def test_real_against_itself_scores_one(tables):
    result = fidelity(align(tables["train"], tables["train"]))
    assert result.column_shape == 1.0
    assert result.column_pairs == 1.0
    assert len(result.pairs) == 15  # 6 columns


def test_independent_sample_scores_close_to_one(tables):
    result = fidelity(align(tables["train"], tables["independent"]))
    assert result.column_shape > 0.95
    assert result.column_pairs > 0.93


def test_column_scores_match_hand_computed_statistics(tables):
    train, other = tables["train"], tables["independent"]
    scores = {c.column: c for c in fidelity(align(train, other)).columns}
    assert scores["x"].metric == "ks"
    assert scores["x"].statistic == pytest.approx(stats.ks_2samp(train.x, other.x).statistic)
    shares = pd.concat(
        [train.segment.value_counts(normalize=True), other.segment.value_counts(normalize=True)],
        axis=1,
    ).fillna(0)
    tv = 0.5 * (shares.iloc[:, 0] - shares.iloc[:, 1]).abs().sum()
    assert scores["segment"].metric == "tv"
    assert scores["segment"].statistic == pytest.approx(tv)


def test_numeric_pairs_use_spearman_correlation(tables):
    train, other = tables["train"], tables["independent"]
    pairs = {(p.left, p.right): p for p in fidelity(align(train, other)).pairs}
    pair = pairs[("x", "visits")]
    assert pair.metric == "correlation"
    assert pair.real == pytest.approx(stats.spearmanr(train.x, train.visits).statistic)
    assert pair.synthetic == pytest.approx(stats.spearmanr(other.x, other.visits).statistic)
    assert pair.score == pytest.approx(1 - abs(pair.real - pair.synthetic) / 2)
    assert pairs[("x", "segment")].metric == "contingency"


def test_shuffled_columns_keep_shapes_and_lose_pairs(tables):
    train = tables["train"]
    result = fidelity(align(train, shuffle_columns(train, 0)))
    assert result.column_shape == 1.0  # same values, other rows
    pairs = {(p.left, p.right): p.score for p in result.pairs}
    assert pairs[("x", "income")] < 0.6  # ρ ≈ 0.95 becomes ≈ 0
    independent = fidelity(align(train, tables["independent"]))
    assert result.column_pairs < independent.column_pairs - 0.05


def test_a_shift_lowers_the_shape_of_that_column():
    real, shifted = mixed_table(2000, 1), mixed_table(2000, 2, shift=1.0)
    scores = {c.column: c.score for c in fidelity(align(real, shifted)).columns}
    # KS of N(0,1) against N(1,1) is 2Φ(0.5) − 1 ≈ 0.383
    assert scores["x"] == pytest.approx(1 - 0.383, abs=0.05)
    assert scores["visits"] > 0.95


def test_a_one_column_table_has_no_pairs():
    frame = pd.DataFrame({"x": np.arange(10.0)})
    report = evaluate(frame, frame)
    assert report.to_dict()["fidelity"]["column_pairs"] is None
