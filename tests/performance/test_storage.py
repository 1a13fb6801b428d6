"""An estimator saved into a model version folder gives identical estimates once loaded."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from tests.performance.worlds import binary_world, three_class_world

from calmops.errors import ModelIntegrityError
from calmops.performance import fit_estimator, load_estimator


@pytest.mark.parametrize("world", [binary_world, three_class_world])
def test_cbpe_round_trip_is_identical_and_plain_json(tmp_path, world):
    rng = np.random.default_rng(0)
    X, y, proba = world(800, 0.0, rng)
    classes = np.arange(proba.shape[1])
    est = fit_estimator("classification", X, y, proba.argmax(1), proba, classes)
    est.save(tmp_path)
    assert sorted(p.name for p in (tmp_path / "performance").iterdir()) == ["estimator.json"]
    state = json.loads((tmp_path / "performance" / "estimator.json").read_text())
    assert state["method"] == "cbpe" and state["calibrator"]["kind"] in ("sigmoid", "isotonic")
    loaded = load_estimator(tmp_path)
    Xb, _, pb = world(300, 0.5, rng)
    assert loaded.estimate(Xb, pb.argmax(1), pb, seed=3) == est.estimate(
        Xb, pb.argmax(1), pb, seed=3
    )


def test_string_classes_and_the_positive_label_survive_the_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    X, y, proba = binary_world(600, 0.0, rng)
    labels = np.array(["no", "yes"])
    est = fit_estimator(
        "classification", X, labels[y], labels[proba.argmax(1)], proba, labels, positive="no"
    )
    est.save(tmp_path)
    loaded = load_estimator(tmp_path)
    assert loaded.positive == "no" and loaded.classes.tolist() == ["no", "yes"]
    batch = labels[proba.argmax(1)]
    assert loaded.estimate(X, batch, proba) == est.estimate(X, batch, proba)


def test_dle_round_trip_and_a_tampered_loss_model_is_refused(tmp_path):
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"x": rng.normal(size=400), "kind": rng.choice(["a", "b", None], 400)})
    predicted = X["x"].to_numpy()
    y = predicted + rng.normal(0, 1 + (X["kind"] == "a"), 400)
    est = fit_estimator("regression", X, y, predicted, None, None)
    est.save(tmp_path)
    loaded = load_estimator(tmp_path)
    assert loaded.estimate(X, predicted, None) == est.estimate(X, predicted, None)
    model_file = tmp_path / "performance" / "model.joblib"
    model_file.write_bytes(model_file.read_bytes() + b"x")
    with pytest.raises(ModelIntegrityError, match="checksum"):
        load_estimator(tmp_path)


def test_estimators_saved_before_the_transfer_error_and_the_lookup_tables_still_load(tmp_path):
    """Older saves: no ``transfer`` in the state (sampling interval alone) and DLE's loss
    models as scikit-learn regressors; both load and estimate."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(4)
    X, y, proba = binary_world(600, 0.0, rng)
    cbpe = fit_estimator("classification", X, y, proba.argmax(1), proba, np.array([0, 1]))
    Xr = pd.DataFrame({"x": rng.normal(size=600)})
    dle = fit_estimator("regression", Xr, Xr["x"] + rng.normal(size=600), Xr["x"], None, None)
    features = np.c_[Xr[["x"]].to_numpy(), Xr["x"]]
    target = np.abs(rng.normal(size=600))
    dle.models = {k: HistGradientBoostingRegressor().fit(features, target) for k in dle.models}
    for est, folder in ((cbpe, tmp_path / "c"), (dle, tmp_path / "d")):
        est.save(folder)
        path = folder / "performance" / "estimator.json"
        state = json.loads(path.read_text())
        del state["transfer"]
        path.write_text(json.dumps(state))
    old = load_estimator(tmp_path / "c")
    assert old.transfer == {} and old.estimate(X, proba.argmax(1), proba).trusted
    old = load_estimator(tmp_path / "d")
    assert old.transfer == {"abs": 0.0, "sq": 0.0}
    assert old.estimate(Xr, Xr["x"].to_numpy(), None).metrics["mae"].value == pytest.approx(
        target.mean(), abs=0.2
    )


def test_a_folder_without_an_estimator_loads_none_and_unavailable_round_trips(tmp_path):
    assert load_estimator(tmp_path) is None
    est = fit_estimator("classification", None, np.arange(50) % 2, np.zeros(50), None, None)
    est.save(tmp_path / "v1")
    loaded = load_estimator(tmp_path / "v1")
    assert loaded.estimate(None, np.zeros(5), None) == est.estimate(None, np.zeros(5), None)


def test_saving_again_replaces_the_folder_whole(tmp_path):
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"x": rng.normal(size=200)})
    fit_estimator("regression", X, X["x"] * 2, X["x"], None, None).save(tmp_path)
    est = fit_estimator("classification", None, np.arange(50) % 2, np.zeros(50), None, None)
    est.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["performance"]
    assert [p.name for p in (tmp_path / "performance").iterdir()] == ["estimator.json"]
