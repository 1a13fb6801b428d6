"""``BlockwiseRouter``: one model per block plus a global model, routed by a block column.

Rows of a block with its own model go to it; rows of a block without one (unseen, or too
small to train on) go to the global model (``unseen="fallback"``) or to a vote of the block
models (``unseen="vote"``: the majority label, or the mean prediction for regression).
:meth:`BlockwiseRouter.refit_blocks` retrains the global model and only the named blocks,
keeping every other block's model as it was.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.utils.validation import check_is_fitted

__all__ = ["BlockwiseRouter"]


class BlockwiseRouter(BaseEstimator):
    """A block-wise model: a global model and one model per block of ``block_column``.

    Parameters
    ----------
    estimator
        The model cloned for the global fallback and for each block.
    block_column
        Column of ``X`` holding the block id; it is not passed to the models. Ids are
        compared as text, so ``7`` and ``"7"`` are the same block.
    unseen
        ``fallback`` (the global model) or ``vote`` (the block models together).
    min_rows
        Blocks with fewer training rows (or, for a classifier, a single class) get no
        model of their own.

    Attributes
    ----------
    global_model_ : the model fitted on every row
    block_models_ : dict of block id -> its fitted model
    skipped_ : dict of block id -> why it has no model of its own
    classes_ : the labels (classifiers)

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X = pd.DataFrame({"site": ["a"] * 4 + ["b"] * 4, "x": [0, 1, 2, 3] * 2})
    >>> y = [0, 0, 1, 1, 1, 1, 0, 0]  # the relation is reversed at site b
    >>> router = BlockwiseRouter(DecisionTreeClassifier(), block_column="site", min_rows=2)
    >>> router = router.fit(X, y)
    >>> sorted(router.block_models_), router.predict(X).tolist()
    (['a', 'b'], [0, 0, 1, 1, 1, 1, 0, 0])
    >>> router.route(pd.DataFrame({"site": ["a", "c"], "x": [0, 0]})).tolist()
    ['a', 'fallback']
    """

    def __init__(
        self, estimator=None, *, block_column: str = "block", unseen="fallback", min_rows=20
    ) -> None:
        self.estimator = estimator
        self.block_column = block_column
        self.unseen = unseen
        self.min_rows = min_rows

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        inner = get_tags(self._base())
        if inner is not None:
            tags.estimator_type = inner.estimator_type
            tags.classifier_tags = inner.classifier_tags
            tags.regressor_tags = inner.regressor_tags
        return tags

    def fit(self, X: pd.DataFrame, y):
        """Fit the global model on every row and a model per block; returns self."""
        self._check_params()
        features, blocks, y = self._split(X, y)
        self.global_model_ = clone(self._base()).fit(features, y)
        if is_classifier(self):
            self.classes_ = np.unique(y)
        self.block_models_, self.skipped_ = {}, {}
        self._fit_blocks(features, blocks, y, pd.unique(blocks))
        self.feature_names_in_ = np.asarray(features.columns, dtype=object)
        return self

    def refit_blocks(self, X: pd.DataFrame, y, blocks) -> BlockwiseRouter:
        """A copy with the global model refitted on ``X`` and new models for ``blocks`` only.

        Blocks not named keep their current model, even if ``X`` has rows of them; a named
        block with too few rows (or one class) keeps its model too.
        """
        check_is_fitted(self)
        features, labels, y = self._split(X, y)
        new = copy.copy(self)
        new.block_models_, new.skipped_ = dict(self.block_models_), dict(self.skipped_)
        new.global_model_ = clone(self._base()).fit(features, y)
        if is_classifier(self):
            new.classes_ = np.unique(np.concatenate([self.classes_, np.unique(y)]))
        new._fit_blocks(features, labels, y, [str(b) for b in blocks])
        return new

    def _fit_blocks(self, features, labels: np.ndarray, y: np.ndarray, which) -> None:
        """Fit a model for each block of ``which``; a block too small or with one class
        keeps the model it had (if any) or is recorded in ``skipped_``."""
        for block in which:
            rows = labels == block
            n = int(rows.sum())
            if n < self.min_rows:
                reason = f"{n} row{'s' if n != 1 else ''} (fewer than {self.min_rows})"
            elif is_classifier(self) and len(np.unique(y[rows])) < 2:
                reason = f"a single class ({y[rows][0].item()!r})"
            else:
                self.block_models_[block] = clone(self._base()).fit(features[rows], y[rows])
                self.skipped_.pop(block, None)
                continue
            if block not in self.block_models_:
                self.skipped_[block] = reason

    def route(self, X: pd.DataFrame) -> np.ndarray:
        """The block model each row goes to, or ``fallback`` / ``vote`` for the others."""
        check_is_fitted(self)
        labels = self._blocks(X)
        known = np.isin(labels, list(self.block_models_))
        return np.where(known, labels, self.unseen).astype(object)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Each row predicted by its block's model, the others by the fallback or the vote."""
        return self._routed(X, "predict")

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities, routed like :meth:`predict` (the vote averages them)."""
        return self._routed(X, "predict_proba")

    def _routed(self, X: pd.DataFrame, method: str) -> np.ndarray:
        routes = self.route(X)
        features = X.drop(columns=[self.block_column])
        if len(X) == 0:
            return self._aligned(self.global_model_, features, method)
        parts: dict[str, np.ndarray] = {}
        for target in pd.unique(routes):
            rows = routes == target
            parts[target] = self._call(target, features[rows], method)
        first = next(iter(parts.values()))
        out = np.empty((len(X), *first.shape[1:]), dtype=first.dtype)
        for target, values in parts.items():
            if out.dtype != values.dtype:
                out = out.astype(np.result_type(out.dtype, values.dtype))
            out[routes == target] = values
        return out

    def _call(self, target: str, features: pd.DataFrame, method: str) -> np.ndarray:
        if target == "fallback" or (target == "vote" and not self.block_models_):
            return self._aligned(self.global_model_, features, method)
        if target != "vote":
            return self._aligned(self.block_models_[target], features, method)
        outputs = [self._aligned(m, features, method) for m in self.block_models_.values()]
        if method == "predict_proba" or not is_classifier(self):
            return np.mean(outputs, axis=0)
        votes = np.stack(outputs)  # (models, rows): the most frequent label per row
        codes = np.searchsorted(self.classes_, votes)
        counts = np.apply_along_axis(np.bincount, 0, codes, minlength=len(self.classes_))
        return self.classes_[np.argmax(counts, axis=0)]

    def _aligned(self, model, features: pd.DataFrame, method: str) -> np.ndarray:
        values = getattr(model, method)(features)
        if method != "predict_proba":
            return np.asarray(values)
        out = np.zeros((len(features), len(self.classes_)))
        out[:, np.searchsorted(self.classes_, model.classes_)] = values
        return out

    def _split(self, X: pd.DataFrame, y) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        labels = self._blocks(X)
        y = np.asarray(y)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        return X.drop(columns=[self.block_column]), labels, y

    def _blocks(self, X) -> np.ndarray:
        if not isinstance(X, pd.DataFrame) or self.block_column not in X.columns:
            raise ValueError(
                f"BlockwiseRouter needs a DataFrame with the block column "
                f"'{self.block_column}' (got {type(X).__name__})"
            )
        return X[self.block_column].astype(str).to_numpy()

    def _base(self):
        if self.estimator is not None:
            return self.estimator
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression()

    def _check_params(self) -> None:
        if self.unseen not in ("fallback", "vote"):
            raise ValueError(f"unseen must be 'fallback' or 'vote', got {self.unseen!r}")
        if not isinstance(self.min_rows, int | np.integer) or self.min_rows < 1:
            raise ValueError(f"min_rows must be a positive integer, got {self.min_rows!r}")
