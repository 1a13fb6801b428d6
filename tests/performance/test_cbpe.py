"""CBPE recovers known performance under covariate shift, with an honest interval."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm
from tests.performance.worlds import binary_world, three_class_world

from calmops.models.metrics import Proba, scores
from calmops.performance import CBPE, fit_estimator


def _coverage(world, metric: str, batches: int, rng) -> tuple[float, float]:
    """Share of shifted batches whose realized ``metric`` is inside the interval, and the
    mean absolute estimation error."""
    X, y, proba = world(4000, 0.0, rng)
    classes = np.arange(proba.shape[1])
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, classes, seed=1)
    inside, errors = [], []
    for b in range(batches):
        Xb, yb, pb = world(500, 0.7, rng)  # covariate shift: x moves, P(y | x) does not
        pred = pb.argmax(1)
        e = est.estimate(Xb, pred, pb, metrics=[metric], seed=b).metrics[metric]
        realized = scores(yb, pred, "classification", proba=Proba(pb, classes))[metric]
        inside.append(e.low <= realized <= e.high)
        errors.append(abs(e.value - realized))
    return float(np.mean(inside)), float(np.mean(errors))


@pytest.mark.parametrize("metric", ["accuracy", "roc_auc", "f1"])
def test_binary_interval_covers_the_realized_value_at_about_its_nominal_rate(metric):
    covered, error = _coverage(binary_world, metric, 120, np.random.default_rng(0))
    assert (covered, error) >= (0.85, 0) and error < 0.03, (covered, error)


@pytest.mark.parametrize("metric", ["accuracy", "balanced_accuracy", "f1_macro", "roc_auc"])
def test_multiclass_interval_covers_the_realized_value(metric):
    # one-vs-rest isotonic calibration transfers less well under shift; the transfer error
    # measured at fit time on the held-out rows' outer quarters widens the interval for it
    covered, error = _coverage(three_class_world, metric, 80, np.random.default_rng(1))
    assert (covered, error) >= (0.85, 0) and error < 0.03, (covered, error)


def test_the_transfer_error_is_measured_per_metric_and_widens_the_interval():
    rng = np.random.default_rng(7)
    X, y, proba = three_class_world(3000, 0.0, rng)
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, np.arange(3))
    assert set(est.transfer) == set(est.metric_names)
    assert est.transfer["accuracy"] > 0.005  # per-column calibration, renormalised: biased
    Xb, _, pb = three_class_world(1000, 0.7, rng)
    wide = est.estimate(Xb, pb.argmax(1), pb).metrics["accuracy"]
    est.transfer = {}  # as an estimator saved before the transfer error: sampling alone
    narrow = est.estimate(Xb, pb.argmax(1), pb).metrics["accuracy"]
    assert wide.value == narrow.value and wide.high - wide.low > narrow.high - narrow.low


def test_calibration_removes_the_models_overconfidence():
    rng = np.random.default_rng(2)
    X, y, proba = binary_world(10_000, 0.0, rng)
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1]))
    Xb, yb, pb = binary_world(20_000, 0.7, rng)
    realized = skm.accuracy_score(yb, pb.argmax(1))
    assert est.estimate(Xb, pb.argmax(1), pb).metrics["accuracy"].value == pytest.approx(
        realized, abs=0.015
    )
    # without calibration (the model's own probabilities) the estimate would be far off
    naive = pb.max(axis=1).mean()
    assert abs(naive - realized) > 0.05


@pytest.mark.parametrize("k", [2, 3])
def test_certain_probabilities_give_scikit_learns_values(k):
    """With 0/1 calibrated probabilities the labels are known: every count metric must
    equal scikit-learn's on them."""
    rng = np.random.default_rng(3)
    labels = np.array(["ant", "bee", "cat"][:k])
    y = rng.choice(labels, 400)
    onehot = (y[:, None] == labels).astype(float)
    est = fit_estimator("classification", None, y, y, onehot, labels, positive="bee")
    truth = rng.choice(labels, 300)
    pred = np.where(rng.uniform(size=300) < 0.7, truth, rng.choice(labels, 300))
    e = est.estimate(None, pred, (truth[:, None] == labels).astype(float))
    if k == 2:
        per_class = skm.f1_score(truth, pred, pos_label="bee")
    else:
        per_class = skm.f1_score(truth, pred, labels=labels, average=None)
    expected = {
        "accuracy": skm.accuracy_score(truth, pred),
        "balanced_accuracy": skm.balanced_accuracy_score(truth, pred),
        "f1_macro": skm.f1_score(truth, pred, average="macro"),
        "precision": skm.precision_score(truth == "bee", pred == "bee"),
        "recall": skm.recall_score(truth == "bee", pred == "bee"),
        "f1": per_class if k == 2 else per_class[1],
    }
    for name, value in expected.items():
        assert e.metrics[name].value == pytest.approx(value), name
        assert e.metrics[name].low == pytest.approx(value)  # certain labels: no spread


def test_expected_roc_auc_is_the_mean_auc_over_labels_drawn_from_the_probabilities():
    rng = np.random.default_rng(4)
    X, y, proba = binary_world(3000, 0.0, rng)
    est = CBPE.fit(y, proba.argmax(1), proba, np.array([0, 1]))
    _, _, pb = binary_world(400, 0.5, rng)
    calibrated = est.calibrator.apply(pb)[:, 1]
    draws = rng.uniform(size=(300, 400)) < calibrated
    mean_auc = np.mean([skm.roc_auc_score(d, pb[:, 1]) for d in draws])
    value = est.estimate(None, pb.argmax(1), pb, metrics=["roc_auc"]).metrics["roc_auc"].value
    assert value == pytest.approx(mean_auc, abs=0.005)  # 300 draws: sd of the mean ~0.001


def test_the_same_seed_gives_the_same_interval_and_another_seed_may_not():
    rng = np.random.default_rng(5)
    X, y, proba = binary_world(1000, 0.0, rng)
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1]))
    a = est.estimate(X, proba.argmax(1), proba, seed=7)
    assert a == est.estimate(X, proba.argmax(1), proba, seed=7)
    assert (
        a.metrics["accuracy"].value
        == est.estimate(X, proba.argmax(1), proba).metrics["accuracy"].value
    )


@pytest.mark.parametrize("world", [binary_world, three_class_world])
def test_the_normal_interval_agrees_with_simulated_label_draws(world):
    rng = np.random.default_rng(6)
    X, y, proba = world(2000, 0.0, rng)
    classes = np.arange(proba.shape[1])
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, classes)
    Xb, _, pb = world(800, 0.5, rng)
    normal = est.estimate(Xb, pb.argmax(1), pb)
    simulated = est.estimate(Xb, pb.argmax(1), pb, interval="simulate")
    for name, m in normal.metrics.items():
        s = simulated.metrics[name]
        assert m.value == s.value
        assert m.high - m.low == pytest.approx(s.high - s.low, rel=0.25), name
