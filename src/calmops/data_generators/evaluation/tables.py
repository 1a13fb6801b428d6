"""The tables an evaluation compares, checked and put in one common form.

The real table decides what every column is (:func:`~calmops.data_generators.synth.infer_schema`):
numeric, integer and datetime columns are compared as numbers (datetimes in nanoseconds,
missing as NaN); categorical and boolean columns as labels (``str`` of each value, missing as
the label :data:`MISSING`). The synthetic table and the holdout must have the real table's
columns (in any order); their own dtypes do not matter (a CSV round trip is fine).

Examples
--------
>>> import pandas as pd
>>> real = pd.DataFrame({"age": [30, 41, None], "smoker": [True, False, True]})
>>> synthetic = pd.DataFrame({"smoker": ["True", "True"], "age": [35, 40]})
>>> tables = align(real, synthetic)
>>> [(c.name, c.kind) for c in tables.columns]
[('age', 'numeric'), ('smoker', 'categorical')]
>>> tables.values[1]["smoker"].tolist(), tables.values[0]["age"].tolist()
(['True', 'True'], [30.0, 41.0, nan])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calmops.data_generators.synth.columns import infer_schema, numeric_values
from calmops.errors import DataValidationError

__all__ = [
    "MISSING",
    "Aligned",
    "EvalColumn",
    "align",
    "category_codes",
    "row_hashes",
    "sample_rows",
]

MISSING = "<missing>"
"""The label a missing value of a categorical column gets."""
_NUMERIC_KINDS = ("numeric", "integer", "datetime")


@dataclass(frozen=True)
class EvalColumn:
    """One compared column: ``kind`` is ``numeric`` or ``categorical``; ``source`` the kind
    :func:`infer_schema` gave the real column (``integer``, ``boolean``, ``datetime``...)."""

    name: str
    kind: str
    source: str


@dataclass(frozen=True)
class Aligned:
    """The columns, and each table (real, synthetic, then holdout if given) as
    ``{column: array}`` (float64 with NaN for numeric columns, ``str`` labels otherwise)."""

    columns: tuple[EvalColumn, ...]
    values: tuple[dict[str, np.ndarray], ...]
    sizes: tuple[int, ...]

    @property
    def names(self) -> list[str]:
        """Column names in the real table's order."""
        return [c.name for c in self.columns]


def _check_frame(frame: object, role: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(f"the {role} table must be a pandas DataFrame, got {type(frame)}")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise DataValidationError(
            f"the {role} table is empty ({frame.shape[0]} rows × {frame.shape[1]} columns); "
            "an evaluation needs at least one row and one column"
        )
    return frame


def _check_columns(real: pd.DataFrame, other: pd.DataFrame, role: str) -> None:
    expected, got = [str(c) for c in real.columns], [str(c) for c in other.columns]
    missing = [c for c in expected if c not in got]
    extra = [c for c in got if c not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"lacks {', '.join(missing)}")
        if extra:
            parts.append(f"has columns the real table does not: {', '.join(extra)}")
        raise DataValidationError(
            f"the {role} table's columns do not match the real table's: it {'; '.join(parts)}"
        )


def _labels(series: pd.Series) -> np.ndarray:
    values = series.astype(object).to_numpy()
    missing = pd.isna(values)
    out = np.empty(len(values), dtype=object)
    out[missing] = MISSING
    out[~missing] = [str(v) for v in values[~missing]]
    return out


def align(
    real: pd.DataFrame, synthetic: pd.DataFrame, holdout: pd.DataFrame | None = None
) -> Aligned:
    """Check the tables and give every column of each in the common form (see module doc).

    Raises a DataValidationError for an empty table, duplicate column names, or a synthetic
    table or holdout whose columns differ from the real table's (naming the differences).
    """
    frames = [_check_frame(real, "real"), _check_frame(synthetic, "synthetic")]
    if holdout is not None:
        frames.append(_check_frame(holdout, "holdout"))
    for frame, role in zip(frames, ("real", "synthetic", "holdout"), strict=False):
        duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
        if duplicated:
            raise DataValidationError(f"the {role} table has column {duplicated[0]!r} twice")
    for frame, role in zip(frames[1:], ("synthetic", "holdout"), strict=False):
        _check_columns(real, frame, role)
    schema = infer_schema(real)
    columns = tuple(
        EvalColumn(
            info.name, "numeric" if info.kind in _NUMERIC_KINDS else "categorical", info.kind
        )
        for info in schema.columns
    )
    values = []
    for frame in frames:
        renamed = frame.rename(columns=str)
        table = {}
        for column, info in zip(columns, schema.columns, strict=True):
            series = renamed[column.name]
            if column.kind == "numeric":
                table[column.name] = _numbers(series, info.kind, column.name)
            else:
                table[column.name] = _labels(series)
        values.append(table)
    return Aligned(columns, tuple(values), tuple(len(f) for f in frames))


def _numbers(series: pd.Series, kind: str, name: str) -> np.ndarray:
    try:
        return numeric_values(series, kind)
    except (TypeError, ValueError) as error:
        raise DataValidationError(
            f"column {name!r} is {kind} in the real table but another table's values "
            f"cannot be read as such ({error})"
        ) from None


def category_codes(
    arrays: list[np.ndarray], max_categories: int | None = None
) -> tuple[list[np.ndarray], list[str]]:
    """Integer codes of label arrays over the union of their labels (most frequent first).

    With ``max_categories``, the labels past the most frequent ``max_categories - 1`` share
    the last code (``"<other>"``).

    >>> codes, labels = category_codes([np.array(["a", "b", "a"]), np.array(["c"])])
    >>> [c.tolist() for c in codes], labels
    ([[0, 1, 0], [2]], ['a', 'b', 'c'])
    """
    pooled = np.concatenate(arrays)
    labels, inverse, counts = np.unique(pooled, return_inverse=True, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    codes = rank[inverse]
    names = [str(labels[i]) for i in order]
    if max_categories is not None and len(names) > max_categories:
        codes = np.minimum(codes, max_categories - 1)
        names = names[: max_categories - 1] + ["<other>"]
    bounds = np.cumsum([0] + [len(a) for a in arrays])
    return [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)], names


def sample_rows(n_rows: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of ``size`` rows of ``n_rows`` drawn without replacement (all when
    ``size >= n_rows``)."""
    if size >= n_rows:
        return np.arange(n_rows)
    return np.sort(rng.choice(n_rows, size=size, replace=False))


def row_hashes(table: dict[str, np.ndarray]) -> np.ndarray:
    """One 64-bit hash per row of an aligned table: equal rows (missing equal to missing)
    get equal hashes."""
    # one NaN and one zero: hashes see bits, and -0.0 or another NaN payload would differ
    canonical = {
        name: np.where(np.isnan(v), np.nan, v + 0.0) if v.dtype.kind == "f" else v
        for name, v in table.items()
    }
    return pd.util.hash_pandas_object(pd.DataFrame(canonical), index=False).to_numpy()
