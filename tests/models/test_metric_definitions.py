"""Every metric against scikit-learn: probability metrics, the positive label, MAPE, the
weighted (resampled) forms, edge cases, coverage and determinism of the intervals."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import metrics as sk

from calmops.errors import SpecError
from calmops.models import metrics as m
from calmops.models.metrics import families, formulas


def _probabilistic(classes: int, n: int, seed: int, labels=None):
    """Labels, predicted labels and rounded (so tied) probabilities of a decent model."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    logits = rng.normal(size=(n, classes))
    logits[np.arange(n), y] += 1.2
    p = np.exp(logits)
    p = np.round(p / p.sum(axis=1, keepdims=True), 2)
    p /= p.sum(axis=1, keepdims=True)
    names = np.arange(classes) if labels is None else np.asarray(labels)
    return names[y], names[p.argmax(axis=1)], m.Proba(p, names)


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_probability_metrics_equal_sklearn(classes: int) -> None:
    y, pred, proba = _probabilistic(classes, 1500, classes)
    got = m.scores(y, pred, "classification", proba=proba)
    p = proba.values
    if classes == 2:
        assert got["roc_auc"] == pytest.approx(sk.roc_auc_score(y, p[:, 1]), abs=1e-12)
        ap = sk.average_precision_score(y, p[:, 1])
        assert got["average_precision"] == pytest.approx(ap, abs=1e-12)
        assert got["brier"] == pytest.approx(sk.brier_score_loss(y, p[:, 1]), abs=1e-12)
    else:
        auc = sk.roc_auc_score(y, p, multi_class="ovr", average="macro")
        assert got["roc_auc"] == pytest.approx(auc, abs=1e-12)
        ap = sk.average_precision_score(y, p, average="macro")
        assert got["average_precision"] == pytest.approx(ap, abs=1e-12)
        assert got["brier"] == pytest.approx(sk.brier_score_loss(y, p), abs=1e-12)
    assert got["log_loss"] == pytest.approx(sk.log_loss(y, p), abs=1e-12)


def test_string_labels_and_a_named_positive_label() -> None:
    y, pred, proba = _probabilistic(2, 800, 1, labels=["no", "yes"])
    got = m.scores(y, pred, "classification", proba=proba, positive="no")
    for name, function in (
        ("precision", sk.precision_score),
        ("recall", sk.recall_score),
        ("f1", sk.f1_score),
    ):
        assert got[name] == pytest.approx(function(y, pred, pos_label="no"), abs=1e-12)
    ap = sk.average_precision_score(y, proba.values[:, 0], pos_label="no")
    assert got["average_precision"] == pytest.approx(ap, abs=1e-12)
    brier = sk.brier_score_loss(y, proba.values[:, 0], pos_label="no")
    assert got["brier"] == pytest.approx(brier, abs=1e-12)
    assert got["roc_auc"] == pytest.approx(sk.roc_auc_score(y == "no", proba.values[:, 0]))


def test_multiclass_precision_recall_f1_are_of_the_positive_class_against_the_rest() -> None:
    y, pred, _ = _probabilistic(4, 900, 2)
    got = m.scores(y, pred, "classification", positive=2)
    for name, function in (("precision", sk.precision_score), ("recall", sk.recall_score)):
        expected = function(y, pred, labels=[2], average=None)[0]
        assert got[name] == pytest.approx(expected, abs=1e-12)
    assert got["f1"] == pytest.approx(sk.f1_score(y, pred, labels=[2], average=None)[0])


def test_the_default_positive_label() -> None:
    assert m.positive_label(np.array([1, 1, 1, 0])) == 1  # 0/1: 1, even when frequent
    assert m.positive_label(np.array([True, False, False])) is True
    assert m.positive_label(np.array(["b", "a", "a", "c", "c"])) == "b"  # the least frequent
    assert m.positive_label(np.array(["0", "1", "1"])) == "1"
    assert m.positive_label(np.array(["x", "y"]), given="y") == "y"
    assert m.positive_label(np.array([0, 1]), given="1") == 1


def test_a_positive_label_never_predicted_gives_zero_as_sklearn() -> None:
    y = np.array([0, 0, 1, 1])
    pred = np.array([0, 0, 0, 0])
    got = m.scores(y, pred, "classification", positive=1)
    assert got["precision"] == sk.precision_score(y, pred, zero_division=0) == 0.0
    assert got["recall"] == 0.0 and got["f1"] == 0.0


def test_mape_with_zeros_in_the_truth_matches_sklearn() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(size=500)
    y[:7] = 0.0
    pred = y + rng.normal(0, 0.3, 500)
    got = m.scores(y, pred, "regression")["mape"]
    assert got == pytest.approx(sk.mean_absolute_percentage_error(y, pred), rel=1e-12)
    y2 = np.abs(y) + 1
    got2 = m.scores(y2, pred, "regression")["mape"]
    assert got2 == pytest.approx(sk.mean_absolute_percentage_error(y2, pred), rel=1e-12)


def test_probability_metrics_are_left_out_without_probabilities() -> None:
    got = m.scores(np.array([0, 1, 1]), np.array([0, 1, 0]), "classification")
    assert not {"roc_auc", "average_precision", "log_loss", "brier"} & set(got)
    with pytest.raises(SpecError, match="roc_auc needs predicted probabilities"):
        m.interval(np.array([0, 1]), np.array([0, 1]), m.get_metric("roc_auc", "classification"))


@pytest.mark.parametrize("classes", [2, 3])
def test_resampling_weights_equal_sklearn_sample_weights(classes: int) -> None:
    """A bootstrap resample is a vector of row weights; the weighted formulas must agree
    with scikit-learn's ``sample_weight`` on the same weights."""
    y, pred, proba = _probabilistic(classes, 300, 10 + classes)
    rng = np.random.default_rng(0)
    weights = next(m.families.resample_weights(len(y), 3, rng))
    scored = m.Scored(y, pred, proba, m.positive_label(y))
    auc = m.get_metric("roc_auc", "classification").from_weights(scored, weights)
    ap = m.get_metric("average_precision", "classification").from_weights(scored, weights)
    for b in range(3):
        w = weights[b]
        if classes == 2:
            expected_auc = sk.roc_auc_score(y, proba.values[:, 1], sample_weight=w)
            expected_ap = sk.average_precision_score(y, proba.values[:, 1], sample_weight=w)
        else:
            expected_auc = np.mean(
                [sk.roc_auc_score(y == k, proba.values[:, k], sample_weight=w) for k in range(3)]
            )
            expected_ap = sk.average_precision_score(y, proba.values, sample_weight=w)
        assert auc[b] == pytest.approx(expected_auc, abs=1e-12)
        assert ap[b] == pytest.approx(expected_ap, abs=1e-12)


def test_one_class_in_a_resample_is_skipped_not_a_crash() -> None:
    y = np.array([0, 0, 0, 0, 0, 1])
    proba = m.Proba(np.array([[0.9, 0.1]] * 5 + [[0.2, 0.8]]), np.array([0, 1]))
    assert np.isnan(formulas.roc_auc_binary(np.ones(3), np.zeros(3, bool), np.ones((1, 3))))[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = m.interval(y, y, m.get_metric("roc_auc", "classification"), proba=proba, seed=1)
    assert found.value == 1.0 and found.low == found.high == 1.0  # only resamples with both


@pytest.mark.parametrize("name", ["roc_auc", "average_precision", "log_loss", "brier", "f1"])
def test_intervals_are_deterministic_and_hold_the_value(name: str) -> None:
    y, pred, proba = _probabilistic(3, 400, 4)
    metric = m.get_metric(name, "classification")
    first = m.interval(y, pred, metric, proba=proba, n_boot=200, seed=5)
    again = m.interval(y, pred, metric, proba=proba, n_boot=200, seed=5)
    other = m.interval(y, pred, metric, proba=proba, n_boot=200, seed=6)
    assert first == again and first != other
    assert first.low <= first.value <= first.high


@pytest.mark.slow  # a rate over many seeded repetitions
@pytest.mark.parametrize("name", ["roc_auc", "log_loss"])
def test_probability_intervals_cover_at_about_the_nominal_rate(name: str) -> None:
    """Scores N(1, 1) for positives and N(0, 1) for negatives: AUC is Phi(1/sqrt 2)."""
    from scipy.stats import norm

    rng = np.random.default_rng(9)
    metric = m.get_metric(name, "classification")
    truth = norm.cdf(1 / np.sqrt(2))
    if name == "log_loss":  # the expected loss of p = sigmoid(score - 0.5), by simulation
        s = np.r_[rng.normal(1, 1, 10**6), rng.normal(0, 1, 10**6)]
        p = 1 / (1 + np.exp(-(s - 0.5)))
        truth = -np.mean(np.r_[np.log(p[: 10**6]), np.log(1 - p[10**6 :])])
    covered, trials = 0, 150
    for seed in range(trials):
        y = rng.integers(0, 2, 300)
        score = rng.normal(y.astype(float), 1.0)
        p1 = 1 / (1 + np.exp(-(score - 0.5)))
        proba = m.Proba(np.c_[1 - p1, p1], np.array([0, 1]))
        found = m.interval(
            y, (p1 > 0.5).astype(int), metric, proba=proba, confidence=0.9, n_boot=300, seed=seed
        )
        covered += found.low <= truth <= found.high
    assert 0.82 <= covered / trials <= 0.97, covered / trials


def test_paired_comparison_with_probabilities_tells_the_better_model() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 2000)
    sharp = np.clip(y * 0.6 + rng.normal(0.2, 0.25, 2000), 0.01, 0.99)
    vague = np.clip(y * 0.15 + rng.normal(0.42, 0.25, 2000), 0.01, 0.99)
    classes = np.array([0, 1])
    a, b = m.Proba(np.c_[1 - sharp, sharp], classes), m.Proba(np.c_[1 - vague, vague], classes)
    for name in ("roc_auc", "log_loss", "brier", "average_precision"):
        metric = m.get_metric(name, "classification")
        found = m.compare_paired(y, y, y, metric, proba_a=a, proba_b=b, n_boot=300)
        assert found.improvement > 0 and found.low > 0 and found.p_value < 0.01, name
        back = m.compare_paired(y, y, y, metric, proba_a=b, proba_b=a, n_boot=300)
        assert back.improvement == pytest.approx(-found.improvement)


def test_a_custom_metric_is_resampled_with_its_direction() -> None:
    def weighted_error(y_true, y_pred, proba):
        return float(np.mean((y_true != y_pred) * np.where(y_true == 1, 5.0, 1.0)))

    metric = m.custom_metric(weighted_error, "classification", higher_is_better=False)
    y, pred, proba = _probabilistic(2, 300, 8)
    found = m.interval(y, pred, metric, proba=proba, n_boot=100, seed=0)
    assert found.value == pytest.approx(weighted_error(y, pred, None))
    assert found.low < found.value < found.high
    assert m.scores(y, pred, "classification", extra=[metric])["custom"] == found.value
    perfect = m.compare_paired(y, y, pred, metric, n_boot=100)
    assert perfect.improvement == pytest.approx(found.value) and perfect.p_value == 0.0
    assert m.get_metric("custom", "classification", metric) is metric
    with pytest.raises(SpecError, match="needs a hooks file that defines"):
        m.get_metric("custom", "classification")


def test_every_metric_has_a_direction_and_a_description() -> None:
    lower = {name for name, metric in m.METRICS.items() if not metric.higher_is_better}
    assert lower == {"log_loss", "brier", "rmse", "mae", "mape"}
    assert all(metric.description for _, metric in m.METRICS.items())


def test_many_rows_are_resampled_m_out_of_n_close_to_the_full_bootstrap() -> None:
    rng = np.random.default_rng(4)
    n = 60_000
    y = rng.integers(0, 2, n)
    s = np.clip(y * 0.25 + rng.random(n) * 0.75, 0, 1)
    proba = m.Proba(np.c_[1 - s, s], np.array([0, 1]))
    metric = m.get_metric("roc_auc", "classification")
    approximate = m.interval(y, y, metric, proba=proba, n_boot=400, seed=1)
    limit, families._RESAMPLED_ROWS = families._RESAMPLED_ROWS, 10**9
    try:
        exact = m.interval(y, y, metric, proba=proba, n_boot=400, seed=1)
    finally:
        families._RESAMPLED_ROWS = limit
    width = exact.high - exact.low
    assert approximate.value == exact.value
    assert approximate.low == pytest.approx(exact.low, abs=0.15 * width)
    assert approximate.high == pytest.approx(exact.high, abs=0.15 * width)
