"""Preprocessing for estimators that handle missing values and categories themselves.

scikit-learn's histogram gradient boosting takes NaN as a value and treats pandas
``category`` columns as categories (``categorical_features="from_dtype"``), so the default
model needs neither an imputer nor one-hot encoding: :class:`NativeCategories` only turns
text columns into categoricals with the categories seen at fit time, so a category never
seen before (or a rare one beyond the most frequent ``max_categories``) becomes missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

__all__ = ["NativeCategories"]


class NativeCategories(TransformerMixin, BaseEstimator):
    """Numbers (and booleans) as floats, text as categoricals, datetimes dropped.

    ``max_categories`` keeps the most frequent categories of a column (histogram gradient
    boosting accepts at most 255 bins, one of them for missing values); the rest, and values
    unseen at fit time, become missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1, 2, None], "colour": ["red", "blue", "red"]})
    >>> encoder = NativeCategories().fit(frame)
    >>> out = encoder.transform(pd.DataFrame({"x": [3], "colour": ["green"]}))
    >>> out["x"].tolist(), out["colour"].isna().tolist(), list(out["colour"].cat.categories)
    ([3.0], [True], ['blue', 'red'])
    """

    def __init__(self, max_categories: int = 254) -> None:
        self.max_categories = max_categories

    def fit(self, X, y=None) -> NativeCategories:
        frame = _frame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        self.numeric_, self.categories_ = [], {}
        for name in frame.columns:
            column = frame[name]
            if pd.api.types.is_datetime64_any_dtype(column):
                continue
            if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
                self.numeric_.append(name)
                continue
            counts = _as_text(column).value_counts()
            kept = counts.index[: self.max_categories]
            self.categories_[name] = sorted(map(str, kept))
        return self

    def transform(self, X) -> pd.DataFrame:
        frame = _frame(X)
        out = {}
        for name in self.feature_names_in_:
            if name in self.categories_:
                categories = pd.Index(self.categories_[name], dtype=object)
                codes = categories.get_indexer(_as_text(frame[name]))  # -1: unseen or missing
                out[name] = pd.Categorical.from_codes(codes, categories=categories)
            elif name in self.numeric_:
                out[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        return pd.DataFrame(out, index=frame.index)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        kept = [n for n in self.feature_names_in_ if n in self.categories_ or n in self.numeric_]
        return np.asarray(kept, dtype=object)


def _frame(X) -> pd.DataFrame:
    return X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)


def _as_text(column: pd.Series) -> pd.Series:
    """The column's values as strings, missing values kept missing."""
    if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        return column
    missing = column.isna()
    text = column.astype(str).astype(object)
    return text.where(~missing, None) if missing.any() else text
