"""Checking request rows against a model card: names, types and finiteness, column by column.

The model card lists the features the model was trained on, each with a ``kind``
(``numeric``, ``categorical``, ``boolean`` or ``datetime``). A request must give every feature
(missing ones are named in the error), each with a value of its kind or ``null``; columns the
model does not use are ignored. The checks work on whole columns with set operations, so a
1,000-row batch costs about a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calmops.errors import DataValidationError

__all__ = [
    "Feature",
    "check_columns",
    "check_frame",
    "columns_from_rows",
    "features_of",
    "rows_from_body",
]

_NONE = type(None)
_ALLOWED: dict[str, frozenset[type]] = {
    "numeric": frozenset({int, float, _NONE}),
    "categorical": frozenset({str, _NONE}),
    "boolean": frozenset({bool, _NONE}),
    "datetime": frozenset({str, _NONE}),
}
_WANTED = {
    "numeric": "a number",
    "categorical": "a string",
    "boolean": "true or false",
    "datetime": "an ISO-8601 date string",
}
_JSON_NAMES = {int: "a number", float: "a number", str: "a string", bool: "a boolean"}
_JSON_NAMES.update({list: "a list", dict: "an object", _NONE: "null"})


@dataclass(frozen=True)
class Feature:
    """One input the model needs: its name, training dtype and kind."""

    name: str
    dtype: str
    kind: str


def features_of(card: Mapping[str, Any]) -> tuple[Feature, ...]:
    """The features of a model card, in the model's order.

    >>> features_of({"features": [{"name": "x", "dtype": "float64", "kind": "numeric"}]})
    (Feature(name='x', dtype='float64', kind='numeric'),)
    """
    return tuple(
        Feature(str(f["name"]), str(f.get("dtype", "")), str(f.get("kind", "numeric")))
        for f in card.get("features", [])
    )


def rows_from_body(body: Any) -> list[dict[str, Any]]:
    """The rows of a ``/predict`` body: one JSON object, or a non-empty list of objects.

    >>> rows_from_body({"x": 1})
    [{'x': 1}]
    >>> rows_from_body([1, 2])
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: row 0 is a number, not an object of feature values
    """
    rows = [body] if isinstance(body, dict) else body
    if not isinstance(rows, list):
        raise DataValidationError(
            "the body must be a JSON object (one row) or a list of objects (a batch); "
            f"got {_json_name(body)}"
        )
    if not rows:
        raise DataValidationError("the batch is empty: send at least one row")
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise DataValidationError(
                f"row {index} is {_json_name(row)}, not an object of feature values"
            )
    return rows


def columns_from_rows(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list]:
    """The values of ``names`` in every row, column by column; missing features are named.

    >>> columns_from_rows([{"a": 1, "b": 2, "extra": 3}], ["a", "b"])
    {'a': [1], 'b': [2]}
    >>> columns_from_rows([{"a": 1}, {"b": 2}], ["a", "b"])
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: missing features: a (in 1 of 2 rows), b (in 1 of 2 rows)
    """
    if len(rows) == 1:
        row = rows[0]
        missing = [name for name in names if name not in row]
        if missing:
            raise DataValidationError(f"missing features: {', '.join(missing)}")
        return {name: [row[name]] for name in names}
    columns: dict[str, list] = {}
    missing_counts: list[str] = []
    for name in names:
        values = [row.get(name, _MISSING) for row in rows]
        if _MISSING in values:
            count = sum(1 for v in values if v is _MISSING)
            missing_counts.append(f"{name} (in {count} of {len(rows)} rows)")
        columns[name] = values
    if missing_counts:
        raise DataValidationError(f"missing features: {', '.join(missing_counts)}")
    return columns


def check_columns(
    columns: Mapping[str, Sequence[Any]], features: Sequence[Feature]
) -> dict[str, np.ndarray]:
    """Each feature's values as an array of the kind the model was trained on.

    Numbers become ``float64`` and strings stay strings; ``null`` becomes NaN either way, so
    the model imputes it as it did in training. A value of the wrong type, or an infinite
    number, is refused.

    >>> features = features_of({"features": [{"name": "x", "kind": "numeric"},
    ...                                      {"name": "c", "kind": "categorical"}]})
    >>> checked = check_columns({"x": [1, None], "c": ["a", "b"]}, features)
    >>> checked["x"].tolist(), checked["c"].tolist()
    ([1.0, nan], ['a', 'b'])
    >>> check_columns({"x": [1, "2"], "c": ["a", "b"]}, features)
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: feature 'x' must be a number; row 1 has a string
    """
    missing = [f.name for f in features if f.name not in columns]
    if missing:
        raise DataValidationError(f"missing features: {', '.join(missing)}")
    return {f.name: _column(list(columns[f.name]), f) for f in features}


def check_frame(frame: Any, features: Sequence[Feature]) -> dict[str, np.ndarray]:
    """:func:`check_columns` on a DataFrame (the output of a preprocess hook)."""
    missing = [f.name for f in features if f.name not in frame.columns]
    if missing:
        raise DataValidationError(
            f"missing features after the preprocess hook: {', '.join(missing)}"
        )
    return {f.name: _column(_plain_values(frame[f.name]), f) for f in features}


# ---- helpers ----------------------------------------------------------------------------

_MISSING = object()


def _column(values: list, feature: Feature) -> np.ndarray:
    kinds = set(map(type, values))
    allowed = _ALLOWED.get(feature.kind)
    if allowed is None:
        return _object_array(values)
    if feature.kind == "categorical" and float in kinds:  # NaN from a DataFrame is a null
        values = [None if isinstance(v, float) and v != v else v for v in values]
        kinds = set(map(type, values))
    wrong = kinds - allowed
    if wrong:
        index = next(i for i, v in enumerate(values) if type(v) in wrong)
        raise DataValidationError(
            f"feature '{feature.name}' must be {_WANTED[feature.kind]}; "
            f"row {index} has {_json_name(values[index])}"
        )
    if feature.kind == "numeric":
        if _NONE in kinds:
            values = [np.nan if v is None else v for v in values]
        try:
            array = np.array(values, dtype=np.float64)
        except OverflowError:
            raise DataValidationError(
                f"feature '{feature.name}' has a number too large for a float"
            ) from None
        if np.isinf(array).any():
            index = int(np.flatnonzero(np.isinf(array))[0])
            raise DataValidationError(
                f"feature '{feature.name}' must be a finite number; row {index} is infinite"
            )
        return array
    if feature.kind == "boolean":
        if _NONE in kinds:
            return np.array([np.nan if v is None else float(v) for v in values])
        return np.array(values, dtype=bool)
    if feature.kind == "datetime":
        return _dates(values, feature)
    if _NONE in kinds:  # NaN, not None: scikit-learn's imputers see only NaN as missing
        values = [np.nan if v is None else v for v in values]
    return _object_array(values)


def _dates(values: list, feature: Feature) -> np.ndarray:
    import pandas as pd

    try:
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        raise DataValidationError(
            f"feature '{feature.name}' must hold ISO-8601 dates like 2026-01-31T12:00:00"
        ) from None
    return parsed.to_numpy()


def _object_array(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _plain_values(series: Any) -> list:
    return series.astype(object).where(series.notna(), None).tolist()


def _json_name(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    return _JSON_NAMES.get(type(value), type(value).__name__)
