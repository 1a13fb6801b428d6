"""Prediction and label drift on a real table: a prior shift is seen in the predicted class
shares and the labels, a random split of the same data is not, and the statistics are
scipy's."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.datasets import load_diabetes, load_digits
from sklearn.linear_model import LogisticRegression

from calmops.drift import compare
from calmops.drift.target import compare_outputs, label_frame, output_profile, prediction_frame

ALPHA = 0.05
HOLM = "holm correction, alpha 0.05"


@pytest.fixture(scope="module")
def digits():
    """A model trained on 600 digits, and its labels, predictions and probabilities on the
    other 1,197 (the pool reference and batches are drawn from)."""
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    train, pool = order[:600], order[600:]
    model = LogisticRegression(max_iter=3000).fit(X[train], y[train])
    return X[pool], y[pool], model.predict(X[pool]), model.predict_proba(X[pool]), model.classes_


def _prior_shift(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rows of a batch where classes 0-4 keep only 10% of their rows."""
    keep = (y >= 5) | (rng.random(len(y)) < 0.1)
    return np.flatnonzero(keep)


def _frames(digits, rows):
    _, y, pred, proba, classes = digits
    return (
        prediction_frame(pred[rows], "classification", proba=proba[rows], classes=classes),
        label_frame(y[rows], "classification"),
    )


def test_a_prior_shift_fires_prediction_and_label_drift(digits) -> None:
    X, y, *_ = digits
    rng = np.random.default_rng(1)
    order = rng.permutation(len(y))
    reference, rest = order[:400], order[400:]
    batch = rest[_prior_shift(y[rest], rng)]
    ref_pred, ref_labels = _frames(digits, reference)
    cur_pred, cur_labels = _frames(digits, batch)

    prediction = compare_outputs(output_profile(ref_pred), cur_pred, "prediction")
    label = compare_outputs(output_profile(ref_labels), cur_labels, "label")
    assert prediction.drift and label.drift
    shares = prediction.tests[0]
    assert shares.column == "predicted class" and shares.test == "chi2" and shares.drift
    assert shares.p_value < 1e-6 and shares.effect == "jensen_shannon"
    assert prediction.summary.startswith(f"predictions drifted ({HOLM}): predicted share of class ")
    assert "(chi-square p<0.001, Jensen-Shannon" in prediction.summary
    fell = re.search(r"and of class (\d) fell from", shares.sentence)
    assert fell and int(fell.group(1)) < 5  # the classes cut are named too
    assert label.summary.startswith(f"labels drifted ({HOLM}): share of class ")
    # the features of the same rows, for the record: each one alone moves much less
    features = compare(pd.DataFrame(X[reference]), pd.DataFrame(X[batch]))
    assert len(features.features) == 64


def test_the_statistics_are_scipys(digits) -> None:
    _, y, pred, proba, _ = digits
    rng = np.random.default_rng(2)
    order = rng.permutation(len(y))
    reference, rest = order[:400], order[400:]
    batch = rest[_prior_shift(y[rest], rng)]
    ref_pred, _ = _frames(digits, reference)
    cur_pred, _ = _frames(digits, batch)
    result = compare_outputs(output_profile(ref_pred), cur_pred, correction="none")
    shares, top = result.tests

    table = np.array([np.bincount(pred[i], minlength=10) for i in (reference, batch)])
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, *_ = stats.chi2_contingency(table, correction=False)
    assert shares.statistic == pytest.approx(chi2, rel=1e-9)
    assert shares.p_value == pytest.approx(p, rel=1e-6, abs=1e-300)

    ks = stats.ks_2samp(proba[reference].max(axis=1), proba[batch].max(axis=1))
    assert top.column == "probability of the predicted class" and top.test == "ks"
    assert top.statistic == pytest.approx(ks.statistic) and top.p_value == pytest.approx(ks.pvalue)
    before = np.bincount(pred[reference], minlength=10) / len(reference)
    after = np.bincount(pred[batch], minlength=10) / len(batch)
    k = int(shares.category)
    assert k == int(np.argmax(np.abs(after - before)))
    assert (shares.before, shares.after) == pytest.approx((before[k], after[k]))


def test_a_binary_classifier_uses_z_and_the_positive_probability() -> None:
    rng = np.random.default_rng(3)
    pred_a = rng.choice([0, 1], 600, p=[0.88, 0.12])
    pred_b = rng.choice([0, 1], 300, p=[0.59, 0.41])
    proba_a = np.c_[1 - 0.6 * pred_a - 0.2, 0.6 * pred_a + 0.2]
    proba_b = np.c_[1 - 0.6 * pred_b - 0.2, 0.6 * pred_b + 0.2]
    frame_a = prediction_frame(pred_a, "classification", proba=proba_a, classes=[0, 1], positive=1)
    frame_b = prediction_frame(pred_b, "classification", proba=proba_b, classes=[0, 1], positive=1)
    result = compare_outputs(output_profile(frame_a), frame_b, correction="none")
    shares, positive = result.tests
    assert shares.test == "z" and positive.column == "probability of 1" and positive.test == "ks"
    n1, n2 = len(pred_a), len(pred_b)
    p1, p2 = pred_a.mean(), pred_b.mean()
    pooled = (pred_a.sum() + pred_b.sum()) / (n1 + n2)
    z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert abs(shares.statistic) == pytest.approx(abs(z))
    assert shares.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))
    assert shares.sentence.startswith(f"predicted share of class 1 rose from {p1:.2f} to {p2:.2f}")


def test_a_shift_of_a_regression_target_fires_label_drift() -> None:
    _, target = load_diabetes(return_X_y=True)
    order = np.random.default_rng(4).permutation(len(target))
    reference, batch = target[order[:250]], target[order[250:]]
    profile = output_profile(label_frame(reference, "regression"))
    same = compare_outputs(profile, label_frame(batch, "regression"), "label")
    moved = compare_outputs(profile, label_frame(batch + 40.0, "regression"), "label")
    assert not same.drift and moved.drift
    test = moved.tests[0]
    ks = stats.ks_2samp(reference, batch + 40.0)
    assert test.test == "ks" and test.statistic == pytest.approx(ks.statistic)
    assert test.p_value == pytest.approx(ks.pvalue)
    assert test.effect == "wasserstein" and test.effect_size >= test.effect_threshold
    assert test.sentence.startswith(
        f"mean of the labels rose from {reference.mean():.2f} to {batch.mean() + 40:.2f} (KS p"
    )


def test_predicted_values_of_a_regressor_are_one_numeric_column() -> None:
    frame = prediction_frame([1.5, 2.5, 3.0], "regression")
    profile = output_profile(frame)
    assert list(frame.columns) == ["prediction"] and profile.columns["prediction"].kind == "numeric"
    result = compare_outputs(profile, prediction_frame([1.5, 2.0, 3.5], "regression"))
    assert not result.drift and result.summary.startswith("predictions match the reference")


def test_no_common_column_compares_nothing() -> None:
    profile = output_profile(label_frame([0, 1, 1], "classification"))
    result = compare_outputs(profile, prediction_frame([0, 1], "classification"), "prediction")
    assert not result.drift and result.tests == () and "in common" in result.summary


def test_random_splits_of_the_same_data_rarely_fire(digits) -> None:
    """Over 50 seeded random splits, each signal fires about as often as alpha allows."""
    y = digits[1]
    fired = {"prediction": 0, "label": 0}
    for seed in range(50):
        order = np.random.default_rng(100 + seed).permutation(len(y))
        ref_pred, ref_labels = _frames(digits, order[:400])
        cur_pred, cur_labels = _frames(digits, order[400:800])
        prediction = compare_outputs(output_profile(ref_pred), cur_pred, alpha=ALPHA)
        label = compare_outputs(output_profile(ref_labels), cur_labels, "label", alpha=ALPHA)
        fired["prediction"] += prediction.drift
        fired["label"] += label.drift
    # at alpha 0.05 a calibrated test fires 2.5 times in 50 on average; 6 or more has p < 0.04
    assert fired["prediction"] <= 5 and fired["label"] <= 5, fired
