"""Pipelines with the default model (``model.class: auto``) on real tables: gradient boosting,
the classifier or the regressor as the target asks."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.models.registry import ModelRegistry

pytestmark = pytest.mark.default_model


def _champion(lab):
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    version = registry.alias("champion")
    return version, registry.load(version)


def test_a_numeric_target_gets_the_regressor(lab) -> None:
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame
    lab.create(target="target")
    lab.write(frame.iloc[:300])
    lab.write(frame.iloc[300:])
    results = lab.run()
    assert [r.status for r in results] == ["succeeded", "succeeded"]
    version, model = _champion(lab)
    assert type(model[-1]).__name__ == "HistGradientBoostingRegressor"
    assert version.card["task"] == "regression"


def test_text_and_missing_values_reach_the_classifier_as_they_are(lab) -> None:
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame.sample(frac=1.0, random_state=0)
    rng = np.random.default_rng(0)
    frame = frame.mask(rng.random(frame.shape) < 0.05).assign(target=frame["target"])
    frame["size"] = np.where(frame["mean radius"] > 15, "large", "small")
    lab.create(target="target")
    lab.write(frame)
    (result,) = lab.run()
    assert (result.status, result.decision) == ("succeeded", "train")
    version, model = _champion(lab)
    assert type(model[-1]).__name__ == "HistGradientBoostingClassifier"
    assert model[-1].is_categorical_.tolist()[-1]  # 'size' as a category, not one-hot
    assert version.card["metrics"]["balanced_accuracy"] > 0.85
