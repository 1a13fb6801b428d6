"""Building models from a spec, task inference, and each strategy on its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import SGDClassifier

from calmops.errors import RegistryError, SpecError, StrategyError
from calmops.models.factory import build_model
from calmops.models.strategies import Batch, TrainingContext, get_strategy
from calmops.models.task import infer_task
from calmops.spec import ModelSpec, RetrainSpec


def _batch(n: int, seed: int, flip: bool = False) -> Batch:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.choice(["u", "v"], n)})
    y = ((X.a > 0) ^ flip).astype(int)
    return Batch(X, y)


def test_the_default_model_handles_missing_values_and_text() -> None:
    model = build_model(ModelSpec.model_validate({"class": "sklearn.tree.DecisionTreeClassifier"}))
    X = pd.DataFrame(
        {"a": [1.0, None, 3.0, 4.0], "b": ["u", None, "v", "u"], "when": pd.Timestamp(0)}
    )
    model.fit(X, [0, 1, 0, 1])
    assert model.predict(X.assign(b=["new", "u", "v", "u"])).shape == (4,)


def test_steps_build_the_users_pipeline() -> None:
    spec = ModelSpec.model_validate(
        {
            "steps": [
                {"class": "sklearn.preprocessing.StandardScaler"},
                {"class": "sklearn.linear_model.LogisticRegression", "name": "clf"},
            ]
        }
    )
    model = build_model(spec)
    assert [name for name, _ in model.steps] == ["standardscaler_0", "clf"]
    bad = ModelSpec.model_validate({"steps": [{"class": "sklearn.preprocessing.StandardScaler"}]})
    with pytest.raises(SpecError, match="the last step must be an estimator"):
        build_model(bad)


@pytest.mark.parametrize(
    ("estimator", "target", "expected"),
    [
        ("sklearn.linear_model.LinearRegression", [0, 1, 1], "regression"),
        ("sklearn.svm.SVC", [0.5, 1.5], "classification"),
    ],
)
def test_task_follows_the_estimator(estimator, target, expected) -> None:
    model = build_model(ModelSpec.model_validate({"class": estimator}))
    assert infer_task("auto", model, pd.Series(target)) == expected


def test_task_from_the_target_when_the_estimator_says_nothing() -> None:
    assert infer_task("auto", object(), pd.Series([1, 2, 3, 2])) == "classification"
    assert infer_task("auto", object(), pd.Series(np.linspace(0, 1, 50))) == "regression"
    assert infer_task("regression", object(), pd.Series(["a"])) == "regression"


def _context(strategy_settings: dict, champion=None, make=None) -> TrainingContext:
    history = (_batch(300, 1), _batch(300, 2))
    return TrainingContext(
        new=_batch(300, 3, flip=True),
        history=history,
        champion=champion,
        make_model=make
        or (
            lambda: build_model(
                ModelSpec.model_validate(
                    {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"random_state": 0}}
                )
            )
        ),
        task="classification",
        settings=RetrainSpec(**strategy_settings),
        seed=0,
    )


def test_window_rows_and_batches() -> None:
    assert (
        get_strategy("window").fit(_context({"strategy": "window", "window_rows": 100})).rows == 100
    )
    by_batches = get_strategy("window").fit(_context({"strategy": "window", "window_batches": 2}))
    assert by_batches.rows == 600


def test_replay_samples_the_asked_share_of_history() -> None:
    trained = get_strategy("replay").fit(_context({"strategy": "replay", "replay_fraction": 0.25}))
    assert trained.rows == 300 + 150


def test_incremental_updates_a_copy_of_the_champion() -> None:
    spec = ModelSpec.model_validate(
        {"class": "sklearn.linear_model.SGDClassifier", "params": {"random_state": 0}}
    )
    first = _batch(300, 1)
    champion = build_model(spec).fit(first.X, first.y)
    before = champion.named_steps["model"].coef_.copy()
    trained = get_strategy("incremental").fit(_context({"strategy": "incremental"}, champion))
    assert (champion.named_steps["model"].coef_ == before).all(), "the champion was changed"
    assert not (trained.model.named_steps["model"].coef_ == before).all()
    assert isinstance(trained.model.named_steps["model"], SGDClassifier)


def test_strategies_that_need_a_champion_say_so() -> None:
    for name in ("incremental", "stacking", "recalibrate"):
        with pytest.raises(StrategyError, match="none exists yet"):
            get_strategy(name).fit(_context({"strategy": name}))


def test_stacking_beats_a_stale_champion_on_the_new_concept() -> None:
    old = _batch(600, 1)
    champion = build_model(
        ModelSpec.model_validate({"class": "sklearn.tree.DecisionTreeClassifier"})
    )
    champion.fit(old.X, old.y)
    trained = get_strategy("stacking").fit(_context({"strategy": "stacking"}, champion))
    fresh = _batch(500, 9, flip=True)
    assert (trained.model.predict(fresh.X) == fresh.y).mean() > 0.9
    assert trained.model.predict_proba(fresh.X).shape == (500, 2)


def test_unknown_strategy_lists_the_choices() -> None:
    with pytest.raises(RegistryError, match="choose from adaptive, full, incremental, recalibrate"):
        get_strategy("sometimes")


# ---- the default model (model.class: auto) --------------------------------------------------


@pytest.mark.default_model
@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("classification", "HistGradientBoostingClassifier"),
        ("regression", "HistGradientBoostingRegressor"),
        (None, "HistGradientBoostingClassifier"),
    ],
)
def test_the_default_is_gradient_boosting_by_task(task, expected) -> None:
    from calmops.models.native import NativeCategories

    assert ModelSpec().class_name == "auto"
    model = build_model(ModelSpec(), task)
    assert type(model[-1]).__name__ == expected
    assert isinstance(model[0], NativeCategories)
    regression = ModelSpec.model_validate({"task": "regression"})
    assert type(build_model(regression)[-1]).__name__ == "HistGradientBoostingRegressor"


@pytest.mark.default_model
def test_a_named_class_keeps_the_one_hot_preprocessing() -> None:
    from sklearn.compose import ColumnTransformer

    model = build_model(ModelSpec.model_validate({"class": "sklearn.svm.SVC"}), "regression")
    assert type(model[-1]).__name__ == "SVC" and isinstance(model[0], ColumnTransformer)


@pytest.mark.default_model
def test_the_default_predicts_as_scikit_learn_on_numbers() -> None:
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    ours = build_model(ModelSpec(), "classification").fit(X, y)
    theirs = HistGradientBoostingClassifier(random_state=0).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X))


@pytest.mark.default_model
def test_the_default_handles_missing_values_unseen_and_many_categories() -> None:
    rng = np.random.default_rng(0)
    n = 2_000
    X = pd.DataFrame(
        {
            "a": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
            "shop": rng.choice([f"s{i}" for i in range(400)], n),  # more than 255 bins
            "colour": rng.choice(["red", "blue", None], n),
            "when": pd.Timestamp(0),
        }
    )
    y = ((X["a"].fillna(0) > 0) ^ (X["colour"] == "red")).astype(int)
    model = build_model(ModelSpec(), "classification").fit(X, y)
    assert (model.predict(X) == y).mean() > 0.9  # the interaction is learned, no one-hot
    unseen = X.head(3).assign(shop="never seen", colour="green")
    assert model.predict(unseen).shape == (3,)


@pytest.mark.default_model
def test_the_task_of_the_default_comes_from_the_target() -> None:
    from calmops.models.factory import declared_estimator

    assert declared_estimator(ModelSpec()) is None
    assert infer_task("auto", None, pd.Series([0.5, 1.7, 2.2])) == "regression"
    assert infer_task("auto", None, pd.Series(["yes", "no"])) == "classification"
