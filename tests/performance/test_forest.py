"""Depth-2 boosted trees compiled into lookup tables predict exactly as scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor

from calmops.performance.forest import LookupForest


def _fitted(X, y, **options):
    options = {"max_depth": 2, "max_iter": 150, "learning_rate": 0.2, **options}
    return HistGradientBoostingRegressor(random_state=0, **options).fit(X, y)


def test_the_tables_predict_what_scikit_learn_predicts_with_missing_values_and_extremes():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 5))
    X[rng.uniform(size=X.shape) < 0.05] = np.nan  # every split learns where NaN goes
    clean = np.nan_to_num(X)
    y = clean[:, 0] * clean[:, 1] + np.abs(clean[:, 2]) + rng.normal(size=3000)
    model = _fitted(X, y)
    forest = LookupForest.from_sklearn(model)
    batch = rng.normal(size=(2000, 5)) * 3  # beyond the training range too
    batch[rng.uniform(size=batch.shape) < 0.1] = np.nan
    batch[:5] = [np.inf, -np.inf, 0.0, np.nan, 1e300]
    np.testing.assert_allclose(forest.predict(batch), model.predict(batch), atol=1e-9)


def test_a_constant_target_and_an_unused_feature_compile():
    X = np.c_[np.arange(200.0), np.zeros(200)]
    model = _fitted(X, np.full(200, 3.0))
    assert LookupForest.from_sklearn(model).predict(X) == pytest.approx(np.full(200, 3.0))


def test_deeper_trees_are_refused():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(500, 3))
    model = _fitted(X, X.sum(axis=1), max_depth=3)
    with pytest.raises(ValueError, match="depth <= 2"):
        LookupForest.from_sklearn(model)
