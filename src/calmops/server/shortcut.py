"""A shortcut for the default CalmOps model when every feature is numeric.

The default model (:func:`calmops.models.factory.build_model`) is a scikit-learn Pipeline:
a ColumnTransformer (median imputation of numbers; imputation and one-hot encoding of the
rest) and then the estimator. When every feature is numeric, the categorical branch is empty
and the whole preprocessing is "replace a missing value by the training median", so the
estimator can be called on a NumPy matrix built straight from the request's columns,
skipping pandas: about 0.1 ms a call instead of 2 ms. The shortcut is taken only when the
fitted pipeline has exactly that shape and gives the same predictions and probabilities as
the full model on probe rows; any other model is always called whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["NumericShortcut", "numeric_shortcut"]


@dataclass(frozen=True, eq=False)
class NumericShortcut:
    """Impute with the fitted statistics, then call the estimator on a matrix."""

    columns: tuple[str, ...]
    fill: np.ndarray
    estimator: Any

    def matrix(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        matrix = np.column_stack([values[name] for name in self.columns]).astype(
            np.float64, copy=False
        )
        missing = np.isnan(matrix)
        return np.where(missing, self.fill, matrix) if missing.any() else matrix

    def predict(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self.estimator.predict(self.matrix(values)))

    def predict_proba(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(self.matrix(values)), dtype=np.float64)


def numeric_shortcut(
    model: Any, names: Sequence[str], kinds: Sequence[str]
) -> NumericShortcut | None:
    """The shortcut for ``model``, or None when it does not apply or does not agree.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from calmops.models.factory import default_preprocessing
    >>> from sklearn.pipeline import Pipeline
    >>> X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [1.0, 0.0, 1.0, 0.0]})
    >>> model = Pipeline([("preprocess", default_preprocessing()),
    ...                   ("model", LogisticRegression())]).fit(X, [0, 0, 1, 1])
    >>> shortcut = numeric_shortcut(model, ["a", "b"], ["numeric", "numeric"])
    >>> shortcut.predict({"a": np.array([0.0, 3.0]), "b": np.array([np.nan, 0.0])})
    array([0, 1])
    >>> numeric_shortcut(model, ["a", "b"], ["numeric", "categorical"]) is None
    True
    """
    if not names or any(kind != "numeric" for kind in kinds):
        return None
    found = _shape(model)
    if found is None:
        return None
    columns, fill, estimator = found
    if set(columns) != set(names) or len(columns) != len(names):
        return None
    shortcut = NumericShortcut(tuple(columns), fill, estimator)
    return shortcut if _agrees(shortcut, model, list(names)) else None


def _shape(model: Any) -> tuple[list[str], np.ndarray, Any] | None:
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
    used = [(t, list(c)) for _, t, c in preprocess.transformers_ if len(c) and t != "drop"]
    if len(used) != 1:
        return None
    imputer, columns = used[0]
    if not isinstance(imputer, SimpleImputer) or imputer.add_indicator:
        return None
    fill = np.asarray(imputer.statistics_, dtype=np.float64)
    missing = imputer.missing_values
    if fill.shape != (len(columns),) or np.isnan(fill).any():
        return None
    if not (isinstance(missing, float) and np.isnan(missing)):
        return None
    if not all(isinstance(c, str) for c in columns):
        return None
    return columns, fill, estimator


def _agrees(shortcut: NumericShortcut, model: Any, names: list[str]) -> bool:
    import pandas as pd

    rng = np.random.default_rng(0)
    probe = shortcut.fill + rng.normal(scale=np.abs(shortcut.fill) + 1.0, size=(16, len(names)))
    probe[0, :] = np.nan
    frame = pd.DataFrame(probe[:, [shortcut.columns.index(n) for n in names]], columns=names)
    values = {name: frame[name].to_numpy() for name in names}
    try:
        if not np.array_equal(np.asarray(model.predict(frame)), shortcut.predict(values)):
            return False
        if hasattr(model, "predict_proba"):
            return np.allclose(model.predict_proba(frame), shortcut.predict_proba(values))
    except (ValueError, TypeError, AttributeError):
        return False
    return True
