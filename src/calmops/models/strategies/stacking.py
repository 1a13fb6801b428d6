"""``stacking``: the frozen champion and a new model, combined by a meta-learner."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from calmops.errors import StrategyError
from calmops.models.strategies.base import Trained, TrainingContext

META_SHARE = 0.3  # share of the new batch held out to fit the meta-learner
MIN_META_ROWS = 20


class Stacking:
    """Keep the champion frozen, fit a new model on most of the new batch, and learn how to
    combine the two on the rest."""

    name = "stacking"

    def fit(self, context: TrainingContext) -> Trained:
        if context.champion is None:
            raise StrategyError("stacking needs a champion to stack on; none exists yet")
        n = len(context.new)
        meta_rows = int(round(n * META_SHARE))
        if meta_rows < MIN_META_ROWS or n - meta_rows < MIN_META_ROWS:
            raise StrategyError(
                f"stacking needs at least {int(MIN_META_ROWS / META_SHARE)} training rows "
                f"in the batch (got {n})"
            )
        order = np.random.default_rng(context.seed).permutation(n)
        base_rows, meta_rows_idx = order[meta_rows:], order[:meta_rows]
        X, y = context.new.X, context.new.y
        fresh = context.make_model().fit(X.iloc[base_rows], y.iloc[base_rows])
        stacked = StackedModel([context.champion, fresh], task=context.task)
        stacked.fit_meta(X.iloc[meta_rows_idx], y.iloc[meta_rows_idx])
        return Trained(
            stacked,
            X,
            f"the champion + a new model on {len(base_rows):,} rows, "
            f"combined on {len(meta_rows_idx):,}",
        )


class StackedModel:
    """Frozen base models whose outputs a meta-learner combines (picklable, sklearn-like)."""

    def __init__(self, bases: list[Any], task: str) -> None:
        self.bases = bases
        self.task = task

    def fit_meta(self, X: pd.DataFrame, y: pd.Series) -> StackedModel:
        from sklearn.linear_model import LogisticRegression, Ridge

        if self.task == "classification":
            labels = set(y.unique())
            for base in self.bases:
                labels |= set(base.classes_.tolist())
            self.classes_ = np.array(sorted(labels, key=str), dtype=object)
            if all(isinstance(c, int | np.integer) for c in self.classes_):
                self.classes_ = self.classes_.astype(int)
            self.meta_ = LogisticRegression(max_iter=1000).fit(self._features(X), y)
        else:
            self.meta_ = Ridge(alpha=1.0).fit(self._features(X), y)
        return self

    def _features(self, X: pd.DataFrame) -> np.ndarray:
        if self.task != "classification":
            return np.column_stack([base.predict(X) for base in self.bases])
        columns = []
        for base in self.bases:
            proba = base.predict_proba(X)
            aligned = np.zeros((len(X), len(self.classes_)))
            for j, label in enumerate(base.classes_.tolist()):
                aligned[:, list(self.classes_.tolist()).index(label)] = proba[:, j]
            columns.append(aligned)
        return np.hstack(columns)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.meta_.predict(self._features(X))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        if self.task != "classification":
            raise AttributeError("a regression stack has no predict_proba")
        proba = self.meta_.predict_proba(self._features(X))
        full = np.zeros((len(X), len(self.classes_)))
        for j, label in enumerate(self.meta_.classes_.tolist()):
            full[:, list(self.classes_.tolist()).index(label)] = proba[:, j]
        return full
