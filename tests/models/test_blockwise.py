"""BlockwiseRouter: rows go to their block's model; unseen blocks to the fallback or the vote."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

from calmops.models.blockwise import BlockwiseRouter


class Constant(DummyClassifier):
    """Predicts its training block's first label, so a prediction names its model."""

    def __init__(self) -> None:
        super().__init__(strategy="constant", constant=None)

    def fit(self, X, y):
        self.constant = y[0]
        return super().fit(X, y)


def _frame(blocks: dict[str, str], rows: int = 30) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows of each block labelled with the block's own tag (plus one other label)."""
    X, y = [], []
    for block, tag in blocks.items():
        X.append(pd.DataFrame({"site": block, "x": np.arange(rows, dtype=float)}))
        y += [tag] * (rows - 1) + ["other"]
    return pd.concat(X, ignore_index=True), np.array(y)


def test_each_row_goes_to_its_blocks_model() -> None:
    X, y = _frame({"a": "A", "b": "B", "c": "C"})
    router = BlockwiseRouter(Constant(), block_column="site").fit(X, y)
    assert sorted(router.block_models_) == ["a", "b", "c"]
    shuffled = X.sample(frac=1, random_state=0)
    expected = shuffled["site"].str.upper().to_numpy()
    assert router.predict(shuffled).tolist() == expected.tolist()
    assert router.route(shuffled).tolist() == shuffled["site"].tolist()


def test_an_unseen_block_uses_the_global_fallback() -> None:
    X, y = _frame({"a": "A", "b": "B", "c": "A"})
    router = BlockwiseRouter(Constant(), block_column="site").fit(X, y)
    new = pd.DataFrame({"site": ["z", "a", "z"], "x": [1.0, 2.0, 3.0]})
    assert router.route(new).tolist() == ["fallback", "a", "fallback"]
    # the global model was fitted on every row; its first label is A
    assert router.predict(new).tolist() == ["A", "A", "A"]


def test_an_unseen_block_can_use_the_vote_of_the_block_models() -> None:
    X, y = _frame({"a": "B", "b": "B", "c": "A"})
    router = BlockwiseRouter(Constant(), block_column="site", unseen="vote").fit(X, y)
    new = pd.DataFrame({"site": ["z"], "x": [1.0]})
    assert router.route(new).tolist() == ["vote"]
    assert router.predict(new).tolist() == ["B"]  # two of the three block models say B
    proba = router.predict_proba(new)
    assert proba.shape == (1, 3) and proba[0, list(router.classes_).index("B")] == 2 / 3


def test_small_and_single_class_blocks_get_no_model_of_their_own() -> None:
    X, y = _frame({"a": "A", "b": "B"})
    tiny = pd.DataFrame({"site": ["t"] * 3, "x": [0.0, 1.0, 2.0]})
    same = pd.DataFrame({"site": ["s"] * 25, "x": np.arange(25.0)})
    X = pd.concat([X, tiny, same], ignore_index=True)
    y = np.concatenate([y, ["A"] * 3, ["A"] * 25])
    router = BlockwiseRouter(DecisionTreeClassifier(), block_column="site").fit(X, y)
    assert sorted(router.block_models_) == ["a", "b"]
    assert router.skipped_ == {"t": "3 rows (fewer than 20)", "s": "a single class ('A')"}
    assert router.route(tiny).tolist() == ["fallback"] * 3


def test_refit_touches_only_the_named_blocks() -> None:
    X, y = _frame({"a": "A", "b": "B"})
    router = BlockwiseRouter(Constant(), block_column="site").fit(X, y)
    relabelled = np.where(y == "A", "A2", np.where(y == "B", "B2", y))
    new_rows, new_y = _frame({"n": "N"})
    X2 = pd.concat([X, new_rows], ignore_index=True)
    y2 = np.concatenate([relabelled, new_y])
    updated = router.refit_blocks(X2, y2, blocks=["b", "n"])
    assert updated.block_models_["a"] is router.block_models_["a"]
    probe = pd.DataFrame({"site": ["a", "b", "n"], "x": [0.0] * 3})
    assert updated.predict(probe).tolist() == ["A", "B2", "N"]
    assert router.predict(probe[:2]).tolist() == ["A", "B"]  # the original is unchanged


def test_regression_blocks_and_mean_vote() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=90)
    X = pd.DataFrame({"site": np.repeat(["a", "b", "c"], 30), "x": x})
    slope = np.repeat([1.0, 2.0, 3.0], 30)
    router = BlockwiseRouter(LinearRegression(), block_column="site", unseen="vote")
    router.fit(X, slope * x)
    assert is_regressor(router) and not is_classifier(router)
    new = pd.DataFrame({"site": ["b", "z"], "x": [1.0, 1.0]})
    assert router.predict(new) == pytest.approx([2.0, 2.0])  # z: mean of 1, 2 and 3


def test_clone_and_clear_errors() -> None:
    router = BlockwiseRouter(DecisionTreeClassifier(), block_column="site")
    assert clone(router).get_params()["block_column"] == "site"
    assert is_classifier(router)
    with pytest.raises(ValueError, match="block column 'site'"):
        router.fit(pd.DataFrame({"x": [1.0]}), [0])
    with pytest.raises(ValueError, match="unseen must be"):
        BlockwiseRouter(unseen="nearest", block_column="site").fit(*_frame({"a": "A"}))


def test_a_block_too_small_to_refit_keeps_its_model() -> None:
    X, y = _frame({"a": "A", "b": "B"})
    router = BlockwiseRouter(Constant(), block_column="site").fit(X, y)
    few = X[X["site"] == "b"].iloc[:5]
    updated = router.refit_blocks(pd.concat([X[X["site"] == "a"], few]), y[: 30 + 5], ["b"])
    assert updated.block_models_["b"] is router.block_models_["b"]
    assert "b" not in updated.skipped_
