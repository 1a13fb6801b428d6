"""The ``adaptive`` strategy: one candidate per distinct history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from calmops.errors import StrategyError
from calmops.models.strategies import Batch, TrainingContext, get_strategy
from calmops.spec import RetrainSpec


def _batch(n: int, flip: bool, seed: int) -> Batch:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return Batch(pd.DataFrame({"x": x}), pd.Series(((x > 0) != flip).astype(int)))


def _context(history: int, **kw) -> TrainingContext:
    return TrainingContext(
        _batch(300, False, 0),
        tuple(_batch(300, False, i + 1) for i in range(history)),
        None,
        lambda: DecisionTreeClassifier(max_depth=2, random_state=0),
        "classification",
        **kw,
    )


def test_histories_are_distinct_and_nested() -> None:
    adaptive = get_strategy("adaptive")
    names = lambda ctx: [(h.name, len(h.data)) for h in adaptive.histories(ctx)]  # noqa: E731
    assert names(_context(0)) == [("full", 300)]
    assert names(_context(1)) == [("full", 600), ("batch", 300)]
    assert names(_context(5)) == [("full", 1800), ("window", 900), ("batch", 300)]
    assert names(_context(5, settings=RetrainSpec(window_batches=2))) == [
        ("full", 1800),
        ("window", 600),
        ("batch", 300),
    ]
    assert names(_context(5, change_start=200)) == [
        ("full", 1800),
        ("window", 900),
        ("batch", 300),
        ("since_change", 100),
    ]
    assert names(_context(5, change_start=290))[-1] == ("batch", 300)  # too few rows after it


def test_fit_keeps_the_candidate_that_serves_the_validation_rows_best() -> None:
    context = _context(4, change_start=150)
    flipped_now = Batch(
        context.new.X,
        pd.Series(np.r_[context.new.y[:150], 1 - context.new.y[150:]]),
    )
    new_concept = _batch(200, True, 99)
    context = TrainingContext(
        flipped_now,
        context.history,
        None,
        context.make_model,
        "classification",
        change_start=150,
        validation=new_concept,
    )
    trained = get_strategy("adaptive").fit(context)
    assert trained.rows == 150 and "since the change" in trained.description
    with pytest.raises(StrategyError, match="needs validation rows"):
        get_strategy("adaptive").fit(_context(2))
