"""Prediction and label drift in the loop: the references kept with each version, the two
signals in the run report, and ``decision.retrain_on`` naming them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits

from calmops.drift import Profile

HOLM = "holm correction, alpha 0.05"
LOGISTIC = {"class": "sklearn.linear_model.LogisticRegression", "params": {"max_iter": 3000}}


@pytest.fixture(scope="module")
def digits() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The first batch (900 digits), a random batch of the rest, and a batch of the rest
    where classes 0-4 keep 10% of their rows (a prior shift)."""
    X, y = load_digits(return_X_y=True, as_frame=True)
    frame = X.assign(target=y)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(frame))
    first, rest = frame.iloc[order[:900]], frame.iloc[order[900:]]
    same = rest.sample(450, random_state=1)
    shifted = rest[(rest["target"] >= 5) | (rng.random(len(rest)) < 0.1)]
    return first, same, shifted


def _report(lab, result) -> dict:
    return lab.ws.store.runs.get("demo", result.run_id).report


def test_a_prior_shift_fires_prediction_and_label_but_retrains_only_if_told(lab, digits) -> None:
    first, same, shifted = digits
    lab.create(model=LOGISTIC)
    for frame in (first, same, shifted):
        lab.write(frame)
    results = lab.run()
    assert [r.decision for r in results] == ["train", "no_drift", "no_drift"]

    reference = lab.ws.paths("demo").reference / "v1"
    predictions = Profile.load(reference / "predictions")
    labels = Profile.load(reference / "labels")
    assert list(predictions.columns) == ["predicted class", "probability of the predicted class"]
    assert predictions.n_rows == 224  # the held-out quarter of the batch, as judged
    assert labels.n_rows == len(first)  # the winner is refitted with the rows it won on
    assert labels.columns["label"].kind == "categorical"

    quiet, moved = _report(lab, results[1]), _report(lab, results[2])
    assert not quiet["signals"]["prediction"]["fired"] and not quiet["signals"]["label"]["fired"]
    prediction, label = moved["signals"]["prediction"], moved["signals"]["label"]
    assert prediction["fired"] and label["fired"]
    assert prediction["summary"].startswith(
        f"predictions drifted ({HOLM}): predicted share of class "
    )
    assert prediction["details"]["reference"] == "v1 held-out predictions"
    assert label["details"]["reference"] == "v1 training labels"
    assert label["details"]["tests"][0]["test"] == "chi2"
    assert "labels drifted" in moved["decision"]["reason"]  # said, not acted on


def test_retrain_on_label_retrains_on_a_prior_shift(lab, digits) -> None:
    first, _, shifted = digits
    lab.create(model=LOGISTIC, decision={"retrain_on": ["label"]})
    lab.write(first)
    lab.write(shifted)
    results = lab.run()
    assert results[1].decision == "retrain"
    decision = _report(lab, results[1])["decision"]
    assert decision["triggers"] == ["label"]
    assert decision["reason"].startswith(
        f"retraining because labels drifted ({HOLM}): share of class"
    )


def test_an_unlabelled_batch_gets_prediction_drift_only(lab, digits) -> None:
    first, _, shifted = digits
    lab.create(model=LOGISTIC)
    lab.write(first)
    lab.write(shifted.drop(columns="target"))
    results = lab.run()
    assert results[1].decision == "predict_only"
    signals = _report(lab, results[1])["signals"]
    assert signals["prediction"]["fired"] and "label" not in signals
    tested = [t["column"] for t in signals["prediction"]["details"]["tests"]]
    assert tested == ["predicted class", "probability of the predicted class"]


def test_a_version_without_output_profiles_is_judged_on_its_held_out_rows(lab, digits) -> None:
    import shutil

    first, _, shifted = digits
    lab.create(model=LOGISTIC)
    lab.write(first)
    lab.run()
    reference = lab.ws.paths("demo").reference / "v1"
    shutil.rmtree(reference / "predictions")
    shutil.rmtree(reference / "labels")
    lab.write(shifted)
    (result,) = lab.run()
    signals = _report(lab, result)["signals"]
    assert signals["prediction"]["fired"] and signals["label"]["fired"]
    assert signals["prediction"]["details"]["reference"] == "v1 held-out rows"


def test_a_shift_of_a_regression_target_fires_label(lab) -> None:
    rng = np.random.default_rng(5)

    def batch(n: int, shift: float) -> pd.DataFrame:
        x1, x2 = rng.normal(size=n), rng.normal(size=n)
        noise = rng.normal(0, 0.3, n)
        return pd.DataFrame({"x1": x1, "x2": x2, "target": 3 * x1 - 2 * x2 + noise + shift})

    lab.create(model={"class": "sklearn.linear_model.LinearRegression"})
    for frame in (batch(600, 0.0), batch(400, 0.0), batch(400, 2.0)):
        lab.write(frame)
    results = lab.run()
    stable, moved = (_report(lab, r)["signals"] for r in results[1:])
    assert not stable["label"]["fired"] and not stable["prediction"]["fired"]
    assert moved["label"]["fired"] and not moved["prediction"]["fired"]  # features unchanged
    assert moved["label"]["summary"].startswith(f"labels drifted ({HOLM}): mean of the labels rose")
    assert moved["label"]["details"]["tests"][0]["test"] == "ks"
