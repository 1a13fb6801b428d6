"""Metrics agree with scikit-learn; bootstrap intervals cover; paired tests tell models apart."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as sk

from calmops.errors import SpecError
from calmops.models import metrics as m
from calmops.models.metrics import families


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_classification_metrics_equal_sklearn(classes: int) -> None:
    rng = np.random.default_rng(classes)
    y = rng.integers(0, classes, 2000)
    p = np.where(rng.random(2000) < 0.7, y, rng.integers(0, classes, 2000))
    got = m.scores(y, p, "classification")
    assert got["accuracy"] == pytest.approx(sk.accuracy_score(y, p), abs=1e-12)
    assert got["balanced_accuracy"] == pytest.approx(sk.balanced_accuracy_score(y, p), abs=1e-12)
    assert got["f1_macro"] == pytest.approx(sk.f1_score(y, p, average="macro"), abs=1e-12)


def test_string_labels_and_a_class_never_predicted() -> None:
    y = np.array(["a", "a", "b", "b", "c", "c"])
    p = np.array(["a", "b", "b", "b", "a", "a"])
    got = m.scores(y, p, "classification")
    assert got["balanced_accuracy"] == pytest.approx(sk.balanced_accuracy_score(y, p))
    assert got["f1_macro"] == pytest.approx(sk.f1_score(y, p, average="macro", zero_division=0))


def test_regression_metrics_equal_sklearn() -> None:
    rng = np.random.default_rng(0)
    y = rng.normal(size=3000)
    p = y + rng.normal(0, 0.4, 3000)
    got = m.scores(y, p, "regression")
    assert got["rmse"] == pytest.approx(sk.root_mean_squared_error(y, p), rel=1e-12)
    assert got["mae"] == pytest.approx(sk.mean_absolute_error(y, p), rel=1e-12)
    assert got["r2"] == pytest.approx(sk.r2_score(y, p), rel=1e-12)


def test_unknown_metric_lists_the_choices() -> None:
    choices = "choose from accuracy, average_precision, balanced_accuracy, brier, f1, f1_macro"
    with pytest.raises(SpecError, match=choices):
        m.primary_metric("classification", "auc")
    assert m.primary_metric("regression").name == "rmse"
    assert not m.primary_metric("regression").higher_is_better


@pytest.mark.slow  # a rate over many seeded repetitions
@pytest.mark.parametrize("task", ["classification", "regression"])
def test_intervals_cover_the_true_value_at_about_the_nominal_rate(task: str) -> None:
    rng = np.random.default_rng(7)
    metric = m.primary_metric(task, "accuracy" if task == "classification" else "mae")
    truth = 0.8 if task == "classification" else np.sqrt(2 / np.pi)  # E|N(0,1)|
    covered = 0
    trials = 200
    for seed in range(trials):
        n = 400
        if task == "classification":
            y = rng.integers(0, 2, n)
            p = np.where(rng.random(n) < truth, y, 1 - y)
        else:
            y = rng.normal(size=n)
            p = y + rng.normal(size=n)
        found = m.interval(y, p, metric, confidence=0.9, n_boot=400, seed=seed)
        covered += found.low <= truth <= found.high
    assert 0.84 <= covered / trials <= 0.96, covered / trials


def test_the_normal_limit_matches_resampling_for_large_batches() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(size=6000)
    p = y + rng.normal(0, 0.5, 6000)
    metric = m.primary_metric("regression")
    approximate = m.interval(y, p, metric, n_boot=3000, seed=1)
    exact_rows, families._EXACT_ROWS = families._EXACT_ROWS, 10**9
    try:
        exact = m.interval(y, p, metric, n_boot=3000, seed=1)
    finally:
        families._EXACT_ROWS = exact_rows
    width = exact.high - exact.low
    assert approximate.low == pytest.approx(exact.low, abs=0.05 * width)
    assert approximate.high == pytest.approx(exact.high, abs=0.05 * width)


def test_paired_comparison_finds_a_better_model_and_not_an_equal_one() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    y = rng.integers(0, 2, n)
    good = np.where(rng.random(n) < 0.85, y, 1 - y)
    worse = np.where(rng.random(n) < 0.80, y, 1 - y)
    metric = m.primary_metric("classification", "accuracy")
    better = m.compare_paired(y, good, worse, metric)
    assert better.improvement == pytest.approx(
        sk.accuracy_score(y, good) - sk.accuracy_score(y, worse)
    )
    assert better.low > 0 and better.p_value < 0.01
    same = m.compare_paired(y, good, good, metric)
    assert same.improvement == 0 and same.p_value == 1.0


def test_paired_p_values_are_calibrated_for_equal_models() -> None:
    rng = np.random.default_rng(11)
    metric = m.primary_metric("classification", "accuracy")
    rejections = 0
    trials = 200
    for seed in range(trials):
        y = rng.integers(0, 2, 500)
        a = np.where(rng.random(500) < 0.8, y, 1 - y)
        b = np.where(rng.random(500) < 0.8, y, 1 - y)
        rejections += m.compare_paired(y, a, b, metric, n_boot=300, seed=seed).p_value < 0.05
    assert rejections / trials <= 0.09


def test_regression_direction_lower_error_is_better() -> None:
    rng = np.random.default_rng(5)
    y = rng.normal(size=2000)
    close = y + rng.normal(0, 0.2, 2000)
    far = y + rng.normal(0, 0.5, 2000)
    metric = m.primary_metric("regression")
    result = m.compare_paired(y, close, far, metric)
    assert result.improvement > 0 and result.low > 0
    change = m.compare_independent((y[:1000], far[:1000]), (y[1000:], close[1000:]), metric)
    assert change.high < 0  # the current batch is worse than the baseline
