from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import r2_score

from calmops.data_generators.evaluation.tables import align
from calmops.data_generators.evaluation.utility import utility
from calmops.errors import DataValidationError


def test_classification_on_an_independent_sample_matches_real(tables):
    aligned = align(tables["train"], tables["independent"], tables["holdout"])
    result = utility(aligned, "segment", seed=0)
    assert (result.task, result.metric) == ("classification", "balanced_accuracy")
    assert result.trtr > 0.75
    assert result.tstr == pytest.approx(result.trtr, abs=0.04)


def test_shuffled_labels_leave_synthetic_training_at_chance(tables):
    train, holdout = tables["train"], tables["holdout"]
    rng = np.random.default_rng(0)
    noise = tables["independent"].assign(segment=rng.permutation(tables["independent"].segment))
    result = utility(align(train, noise, holdout), "segment", seed=0)
    assert result.tstr == pytest.approx(0.5, abs=0.05)


def test_regression_is_scored_by_r2_of_the_same_model():
    rng = np.random.default_rng(0)

    def table(n):
        x = rng.normal(size=(n, 2))
        return pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "y": x[:, 0] - 2 * x[:, 1]})

    train, synthetic, holdout = table(600), table(600), table(400)
    result = utility(align(train, synthetic, holdout), "y", seed=0)
    model = HistGradientBoostingRegressor(random_state=0).fit(train[["a", "b"]], train.y)
    expected = r2_score(holdout.y, model.predict(holdout[["a", "b"]]))
    assert (result.task, result.metric) == ("regression", "r2")
    assert result.trtr == pytest.approx(expected)
    assert result.tstr > 0.9


def test_few_integer_values_are_classes_and_a_single_class_predicts_it():
    rng = np.random.default_rng(1)
    x = rng.normal(size=500)
    real = pd.DataFrame({"x": x, "y": (x > 0).astype(int)})
    one_class = real.assign(y=1)
    result = utility(align(real, one_class, real), "y", seed=0)
    assert result.task == "classification"
    assert result.tstr == 0.5  # always the one class: balanced accuracy of chance


def test_rows_without_target_are_left_out_and_errors_are_clear(tables):
    train = tables["train"].copy()
    train.loc[:99, "segment"] = None
    result = utility(align(train, tables["independent"], tables["holdout"]), "segment", seed=0)
    assert result.trtr > 0.75
    with pytest.raises(DataValidationError, match="needs a holdout"):
        utility(align(tables["train"], tables["independent"]), "segment")
    with pytest.raises(DataValidationError, match="'nope' is not a column"):
        utility(align(tables["train"], tables["train"], tables["train"]), "nope")
