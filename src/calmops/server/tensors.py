"""Open Inference Protocol (v2) tensors: from request inputs to columns, and back.

A request gives either one tensor per feature, by name (shape ``[n]`` or ``[n, 1]``), or one
2-D tensor ``[n, k]`` whose columns are the ``k`` features in model-card order. Data may be
flat (row-major, as ``tritonclient`` sends it) or nested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from calmops.errors import DataValidationError

__all__ = ["DATATYPES", "columns_from_inputs", "datatype_of", "feature_datatype", "flatten"]

DATATYPES = frozenset(
    {"BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64"}
    | {"FP16", "FP32", "FP64", "BYTES"}
)
_BY_KIND = {"numeric": "FP64", "categorical": "BYTES", "boolean": "BOOL", "datetime": "BYTES"}


def feature_datatype(kind: str) -> str:
    """The tensor datatype of a feature kind.

    >>> feature_datatype("numeric"), feature_datatype("categorical")
    ('FP64', 'BYTES')
    """
    return _BY_KIND.get(kind, "BYTES")


def datatype_of(values: np.ndarray) -> str:
    """The tensor datatype of an output array.

    >>> datatype_of(np.array([1, 0])), datatype_of(np.array(["a"], dtype=object))
    ('INT64', 'BYTES')
    """
    kind = values.dtype.kind
    return {"i": "INT64", "u": "UINT64", "f": "FP64", "b": "BOOL"}.get(kind, "BYTES")


def flatten(data: Any) -> list:
    """Row-major values of nested lists.

    >>> flatten([[1, 2], [3, 4]])
    [1, 2, 3, 4]
    """
    if not isinstance(data, list):
        return [data]
    if data and isinstance(data[0], list):
        return [v for part in data for v in flatten(part)]
    return data


def columns_from_inputs(
    inputs: Sequence[Any], names: Sequence[str], *, allow_matrix: bool = True
) -> tuple[dict[str, list], int]:
    """Named columns and the row count from OIP input tensors.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> named = [T(name="a", shape=[2], datatype="FP64", data=[1, 2]),
    ...          T(name="b", shape=[2, 1], datatype="FP64", data=[[3], [4]])]
    >>> columns_from_inputs(named, ["a", "b"])
    ({'a': [1, 2], 'b': [3, 4]}, 2)
    >>> matrix = [T(name="input-0", shape=[2, 2], datatype="FP64", data=[1, 3, 2, 4])]
    >>> columns_from_inputs(matrix, ["a", "b"])
    ({'a': [1, 2], 'b': [3, 4]}, 2)
    """
    tensors = [(t, _values(t)) for t in inputs]
    first, values = tensors[0]
    width = len(names)
    is_matrix = (
        len(tensors) == 1
        and len(first.shape) == 2
        and first.shape[1] == width
        and (width > 1 or first.name not in names)
    )
    if is_matrix:
        if not allow_matrix:
            raise DataValidationError(
                "this pipeline has a preprocess hook: send one tensor per input column, by name, "
                "not one 2-D tensor of the model's features"
            )
        rows = first.shape[0]
        return {name: values[i::width] for i, name in enumerate(names)}, rows
    columns: dict[str, list] = {}
    rows = None
    for tensor, data in tensors:
        shape = list(tensor.shape)
        if len(shape) == 0 or len(shape) > 2 or (len(shape) == 2 and shape[1] != 1):
            raise DataValidationError(
                f"input '{tensor.name}' has shape {shape}: give one tensor per feature with "
                f"shape [n] or [n, 1], or one tensor of shape [n, {width}] in the order "
                f"{', '.join(names)}"
            )
        if rows is not None and shape[0] != rows:
            raise DataValidationError(
                f"inputs have different row counts ({rows} and {shape[0]} in '{tensor.name}')"
            )
        if tensor.name in columns:
            raise DataValidationError(f"input '{tensor.name}' is given twice")
        rows = shape[0]
        columns[tensor.name] = data
    return columns, int(rows or 0)


def _values(tensor: Any) -> list:
    if tensor.datatype not in DATATYPES:
        raise DataValidationError(
            f"input '{tensor.name}' has datatype {tensor.datatype!r}; "
            f"use one of {', '.join(sorted(DATATYPES))}"
        )
    if any((not isinstance(d, int)) or d < 0 for d in tensor.shape):
        raise DataValidationError(f"input '{tensor.name}' has an invalid shape {tensor.shape}")
    values = flatten(tensor.data)
    expected = math.prod(tensor.shape)
    if len(values) != expected:
        raise DataValidationError(
            f"input '{tensor.name}' has shape {tensor.shape} ({expected} values) but "
            f"{len(values)} values"
        )
    if expected == 0:
        raise DataValidationError(f"input '{tensor.name}' has no values")
    return values
