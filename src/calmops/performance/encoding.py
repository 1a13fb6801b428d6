"""Features as numbers for a loss model: a plan learned on the held-out rows, kept as JSON.

Numeric and boolean columns stay numbers (missing values stay NaN, which
``HistGradientBoostingRegressor`` handles natively); other columns become category codes of
the held-out categories (an unseen category is NaN), marked categorical when there are at
most 250 of them (the model's limit) and used as plain codes beyond.

>>> X = pd.DataFrame({"a": [1.0, 2.0, None], "c": ["x", "y", "x"]})
>>> plan = FeaturePlan.fit(X)
>>> plan.transform(pd.DataFrame({"a": [5.0], "c": ["z"]})).tolist()
[[5.0, nan]]
>>> plan.categorical
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FeaturePlan", "as_frame"]

_MAX_CATEGORIES = 250


def as_frame(X) -> pd.DataFrame:
    """``X`` as a DataFrame with string column names (an empty one for None)."""
    if X is None:
        return pd.DataFrame()
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    return frame.set_axis([str(c) for c in frame.columns], axis=1)


@dataclass(frozen=True)
class FeaturePlan:
    """Column names, their categories (None: numeric) and the numeric held-out ranges."""

    columns: tuple[str, ...]
    categories: tuple[tuple[str, ...] | None, ...]
    ranges: tuple[tuple[float, float] | None, ...]

    @classmethod
    def fit(cls, X) -> FeaturePlan:
        frame = as_frame(X)
        categories, ranges = [], []
        for name in frame.columns:
            column = frame[name]
            if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
                values = column.to_numpy(dtype=float, na_value=np.nan)
                finite = values[np.isfinite(values)]
                categories.append(None)
                ranges.append((float(finite.min()), float(finite.max())) if len(finite) else None)
            else:
                seen = column.dropna().astype(str).unique().tolist()
                categories.append(tuple(sorted(seen)))
                ranges.append(None)
        return cls(tuple(frame.columns), tuple(categories), tuple(ranges))

    @property
    def categorical(self) -> tuple[bool, ...]:
        return tuple(c is not None and len(c) <= _MAX_CATEGORIES for c in self.categories)

    def transform(self, X) -> np.ndarray:
        """The (rows, columns) float matrix; missing columns are all NaN."""
        frame = as_frame(X)
        out = np.full((len(frame), len(self.columns)), np.nan)
        for j, (name, cats) in enumerate(zip(self.columns, self.categories, strict=True)):
            if name not in frame.columns:
                continue
            column = frame[name]
            if cats is None:
                out[:, j] = pd.to_numeric(column, errors="coerce").to_numpy(
                    dtype=float, na_value=np.nan
                )
            else:
                codes = pd.Index(cats).get_indexer(column.astype(str).where(column.notna()))
                out[:, j] = np.where(codes >= 0, codes, np.nan)
        return out

    def outside_share(self, X) -> float:
        """Share of rows with a numeric feature outside its held-out range."""
        return self.outside_share_of(self.transform(X))

    def outside_share_of(self, matrix: np.ndarray) -> float:
        """:meth:`outside_share` of rows already through :meth:`transform`."""
        if not len(matrix):
            return 0.0
        outside = np.zeros(len(matrix), bool)
        for j, bounds in enumerate(self.ranges):
            if bounds is not None:
                with np.errstate(invalid="ignore"):
                    outside |= (matrix[:, j] < bounds[0]) | (matrix[:, j] > bounds[1])
        return float(outside.mean())

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns),
            "categories": [None if c is None else list(c) for c in self.categories],
            "ranges": [None if r is None else list(r) for r in self.ranges],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeaturePlan:
        return cls(
            tuple(data["columns"]),
            tuple(None if c is None else tuple(c) for c in data["categories"]),
            tuple(None if r is None else (float(r[0]), float(r[1])) for r in data["ranges"]),
        )
