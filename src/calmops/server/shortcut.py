"""A shortcut through the one-hot CalmOps model: its preprocessing done on NumPy arrays.

A model built from a named ``model.class`` (:func:`calmops.models.factory.build_model`) is a
scikit-learn Pipeline: a ColumnTransformer (numbers: median imputation; everything else:
most-frequent imputation and one-hot encoding, unknown categories ignored) and then the
estimator. Its preprocessing is simple enough to do directly on the request's columns: fill
missing numbers with the fitted medians, one-hot encode text with the fitted categories, and
call the estimator on the matrix, skipping pandas and the ColumnTransformer (about 0.1 ms a
call instead of 2 ms).

The shortcut is taken only when the fitted pipeline has exactly that shape, and only after it
gives the same predictions and probabilities as the full model on probe rows (every known
category, an unknown one, missing values); any other model is always called whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Shortcut", "shortcut_for"]

Values = Mapping[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class _Numbers:
    """Numeric columns, missing values filled with the fitted statistics."""

    columns: tuple[str, ...]
    fill: np.ndarray

    def block(self, values: Values) -> np.ndarray:
        matrix = np.column_stack([values[name] for name in self.columns]).astype(
            np.float64, copy=False
        )
        missing = np.isnan(matrix)
        return np.where(missing, self.fill, matrix) if missing.any() else matrix


@dataclass(frozen=True, eq=False)
class _OneHot:
    """One text column: missing values filled, then one-hot encoded (unknown: all zeros)."""

    column: str
    fill: Any
    index: dict[Any, int]

    def block(self, values: Values) -> np.ndarray:
        column = values[self.column]
        block = np.zeros((len(column), len(self.index)))
        for row, value in enumerate(column.tolist()):
            if value is None or (isinstance(value, float) and value != value):
                value = self.fill
            position = self.index.get(value)
            if position is not None:
                block[row, position] = 1.0
        return block


@dataclass(frozen=True, eq=False)
class Shortcut:
    """The preprocessing of the default model on arrays, then its estimator."""

    parts: tuple[_Numbers | _OneHot, ...]
    estimator: Any

    def matrix(self, values: Values) -> np.ndarray:
        blocks = [part.block(values) for part in self.parts]
        return blocks[0] if len(blocks) == 1 else np.hstack(blocks)

    def predict(self, values: Values) -> np.ndarray:
        return np.asarray(self.estimator.predict(self.matrix(values)))

    def predict_proba(self, values: Values) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(self.matrix(values)), dtype=np.float64)


def shortcut_for(model: Any, names: Sequence[str], kinds: Sequence[str]) -> Shortcut | None:
    """The shortcut for ``model``, or None when it does not apply or does not agree.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import Pipeline
    >>> from calmops.models.factory import default_preprocessing
    >>> X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "c": ["x", "y", "x", "y"]})
    >>> model = Pipeline([("preprocess", default_preprocessing()),
    ...                   ("model", LogisticRegression())]).fit(X, [0, 0, 1, 1])
    >>> shortcut = shortcut_for(model, ["a", "c"], ["numeric", "categorical"])
    >>> values = {"a": np.array([0.0, 3.0]), "c": np.array(["x", np.nan], dtype=object)}
    >>> shortcut.predict(values), model.predict(pd.DataFrame(values))
    (array([0, 1]), array([0, 1]))
    >>> shortcut_for(model, ["a", "c"], ["numeric", "boolean"]) is None
    True
    """
    if not names or any(kind not in ("numeric", "categorical") for kind in kinds):
        return None
    found = _parts(model)
    if found is None:
        return None
    parts, estimator = found
    kind_of = dict(zip(names, kinds, strict=True))
    covered = []
    for part in parts:
        columns = part.columns if isinstance(part, _Numbers) else (part.column,)
        wanted = "numeric" if isinstance(part, _Numbers) else "categorical"
        if any(kind_of.get(c) != wanted for c in columns):
            return None
        covered += columns
    if sorted(covered) != sorted(names):
        return None
    shortcut = Shortcut(tuple(parts), estimator)
    return shortcut if _agrees(shortcut, model, list(names), kind_of) else None


def _parts(model: Any) -> tuple[list[_Numbers | _OneHot], Any] | None:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline

    if not isinstance(model, Pipeline) or len(model.steps) != 2:
        return None
    preprocess, estimator = model.steps[0][1], model.steps[1][1]
    if not isinstance(preprocess, ColumnTransformer) or not hasattr(preprocess, "transformers_"):
        return None
    if hasattr(estimator, "feature_names_in_") or not hasattr(estimator, "predict"):
        return None
    parts: list[_Numbers | _OneHot] = []
    for _, transformer, columns in preprocess.transformers_:
        columns = list(columns)
        if not columns or transformer == "drop":
            continue
        if not all(isinstance(c, str) for c in columns):
            return None
        if isinstance(transformer, SimpleImputer):
            fill = _numeric_fill(transformer, len(columns))
            if fill is None:
                return None
            parts.append(_Numbers(tuple(columns), fill))
        elif isinstance(transformer, Pipeline):
            encoded = _one_hot(transformer, columns)
            if encoded is None:
                return None
            parts += encoded
        else:
            return None
    return (parts, estimator) if parts else None


def _numeric_fill(imputer: Any, width: int) -> np.ndarray | None:
    missing = imputer.missing_values
    if imputer.add_indicator or not (isinstance(missing, float) and np.isnan(missing)):
        return None
    try:
        fill = np.asarray(imputer.statistics_, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if fill.shape != (width,) or np.isnan(fill).any():
        return None
    return fill


def _one_hot(pipeline: Any, columns: list[str]) -> list[_OneHot] | None:
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder

    if len(pipeline.steps) != 2:
        return None
    imputer, encoder = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(imputer, SimpleImputer) or not isinstance(encoder, OneHotEncoder):
        return None
    missing = imputer.missing_values
    if imputer.add_indicator or not (isinstance(missing, float) and np.isnan(missing)):
        return None
    if encoder.handle_unknown != "ignore" or encoder.drop_idx_ is not None:
        return None
    if getattr(encoder, "_infrequent_enabled", False) or getattr(encoder, "sparse_output_", False):
        return None
    if len(imputer.statistics_) != len(columns) or len(encoder.categories_) != len(columns):
        return None
    parts = []
    for column, fill, categories in zip(
        columns, imputer.statistics_, encoder.categories_, strict=True
    ):
        index = {value: position for position, value in enumerate(categories.tolist())}
        if len(index) != len(categories):
            return None
        parts.append(_OneHot(column, fill, index))
    return parts


def _agrees(shortcut: Shortcut, model: Any, names: list[str], kind_of: dict[str, str]) -> bool:
    import pandas as pd

    rng = np.random.default_rng(0)
    size = 24
    values: dict[str, np.ndarray] = {}
    for part in shortcut.parts:
        if isinstance(part, _Numbers):
            scale = np.abs(part.fill) + 1.0
            block = part.fill + rng.normal(scale=scale, size=(size, len(part.columns)))
            block[0, :] = np.nan
            values.update({name: block[:, i] for i, name in enumerate(part.columns)})
        else:
            known = list(part.index)
            column = [known[i % len(known)] for i in range(size)] if known else [None] * size
            column[1], column[2] = np.nan, "\x00unknown category\x00"
            values[part.column] = np.array(column, dtype=object)
    frame = pd.DataFrame(values, columns=names, copy=False)
    try:
        if not np.array_equal(np.asarray(model.predict(frame)), shortcut.predict(values)):
            return False
        if hasattr(model, "predict_proba"):
            return bool(np.allclose(model.predict_proba(frame), shortcut.predict_proba(values)))
    except (ValueError, TypeError, AttributeError, KeyError):
        return False
    return True
