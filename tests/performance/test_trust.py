"""Every estimate says when it cannot be trusted, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.performance.worlds import binary_world

from calmops.errors import DataValidationError, SpecError
from calmops.performance import MIN_ROWS, Estimate, EstimatedMetric, fit_estimator


def test_a_model_without_probabilities_gets_no_numbers_and_the_reason():
    y = np.arange(200) % 2
    est = fit_estimator("classification", None, y, y, None, None)
    e = est.estimate(None, y, None)
    assert (e.method, e.metrics, e.trusted) == ("none", {}, False)
    assert "predict_proba" in e.caveats[0]


def test_a_held_out_set_with_one_class_cannot_be_calibrated():
    y = np.zeros(300, int)
    proba = np.c_[np.full(300, 0.8), np.full(300, 0.2)]
    e = fit_estimator("classification", None, y, y, proba, np.array([0, 1])).estimate(
        None, y, proba
    )
    assert e.method == "none" and "single class" in e.caveats[0]


def test_too_few_held_out_rows_fit_but_are_not_trusted():
    rng = np.random.default_rng(0)
    X, y, proba = binary_world(60, 0.0, rng)
    e = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1])).estimate(
        X, proba.argmax(1), proba
    )
    assert e.method == "cbpe" and not e.trusted and "accuracy" in e.metrics
    assert f"fewer than {MIN_ROWS}" in e.caveats[0]
    tiny = fit_estimator("regression", X, y, proba[:, 1], None, None)
    assert tiny.name == "dle" and not tiny.estimate(X, proba[:, 1]).trusted
    assert fit_estimator("regression", X[:5], y[:5], y[:5], None, None).name == "none"


def test_a_batch_beyond_the_calibrations_range_is_flagged():
    rng = np.random.default_rng(1)
    X, y, proba = binary_world(2000, 0.0, rng)
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1]))
    Xb, _, pb = binary_world(500, 0.3, rng)
    no_proba = est.estimate(Xb, pb.argmax(1), None)
    assert not no_proba.trusted and no_proba.caveats == ("no probabilities for this batch",)
    assert est.estimate(Xb, pb.argmax(1), pb).trusted  # a mild shift stays in range
    Xf, _, pf = binary_world(500, 6.0, rng)  # far away: probabilities the held-out never had
    e = est.estimate(Xf, pf.argmax(1), pf)
    assert not e.trusted and "barely cover" in e.caveats[0]


def test_a_regression_batch_beyond_the_held_out_range_is_flagged():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"x": rng.uniform(0, 1, 1000)})
    est = fit_estimator("regression", X, X["x"] + rng.normal(size=1000), X["x"], None, None)
    far = pd.DataFrame({"x": rng.uniform(3, 4, 200)})
    e = est.estimate(far, far["x"].to_numpy(), None)
    assert not e.trusted
    assert any("prediction" in c for c in e.caveats)
    assert any("feature outside" in c for c in e.caveats)


def test_wrong_inputs_are_errors_that_say_what_is_expected():
    rng = np.random.default_rng(3)
    X, y, proba = binary_world(300, 0.0, rng)
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1]))
    with pytest.raises(DataValidationError, match="2 classes"):
        est.estimate(X, y, np.ones((300, 3)) / 3)
    with pytest.raises(SpecError, match="choose from"):
        est.estimate(X, y, proba, metrics=["rmse"])
    with pytest.raises(SpecError, match="classification or regression"):
        fit_estimator("ranking", X, y, y, proba, np.array([0, 1]))
    assert est.estimate(X[:0], y[:0], proba[:0]).caveats == ("the batch has no rows",)


def test_an_estimate_round_trips_through_a_dict():
    e = Estimate("dle", 10, {"mae": EstimatedMetric("mae", 1.0, 0.5, 1.5)}, False, ("why",))
    assert Estimate.from_dict(e.to_dict()) == e
