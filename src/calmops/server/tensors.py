"""Open Inference Protocol (v2) tensors: from request inputs to columns, and back.

A request gives either one tensor per feature, by name (shape ``[n]`` or ``[n, 1]``), or one
2-D tensor ``[n, k]`` whose columns are the ``k`` features in model-card order. Data may be
flat (row-major, as ``tritonclient`` sends it) or nested. The binary tensor extension
(``tritonclient``'s default) is read too: the first ``Inference-Header-Content-Length`` bytes
are the JSON header, and the binary inputs follow in order. Answers are always JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from calmops.errors import DataValidationError

__all__ = [
    "DATATYPES",
    "columns_from_inputs",
    "datatype_of",
    "feature_datatype",
    "flatten",
    "split_binary_body",
]

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


_NUMPY_TYPES = {
    "BOOL": "?",
    "UINT8": "<u1",
    "UINT16": "<u2",
    "UINT32": "<u4",
    "UINT64": "<u8",
    "INT8": "<i1",
    "INT16": "<i2",
    "INT32": "<i4",
    "INT64": "<i8",
    "FP16": "<f2",
    "FP32": "<f4",
    "FP64": "<f8",
}


def split_binary_body(body: bytes, header_length: int) -> dict:
    """The JSON header of a request using the binary tensor extension, with the binary inputs
    decoded into its ``data`` fields (as ``tritonclient`` sends them by default).

    Examples
    --------
    >>> import json
    >>> header = {"inputs": [{"name": "x", "shape": [2], "datatype": "FP64",
    ...                       "parameters": {"binary_data_size": 16}}]}
    >>> text = json.dumps(header).encode()
    >>> parsed = split_binary_body(text + np.array([1.5, 2.5]).tobytes(), len(text))
    >>> parsed["inputs"][0]["data"]
    [1.5, 2.5]
    """
    import json

    if header_length < 0 or header_length > len(body):
        raise DataValidationError(
            f"Inference-Header-Content-Length is {header_length}, but the body has "
            f"{len(body)} bytes"
        )
    try:
        header = json.loads(body[:header_length])
    except (ValueError, UnicodeDecodeError):
        raise DataValidationError("the inference header is not valid JSON") from None
    if not isinstance(header, dict) or not isinstance(header.get("inputs"), list):
        raise DataValidationError("the inference header must be an object with 'inputs'")
    offset = header_length
    for tensor in header["inputs"]:
        size = ((tensor or {}).get("parameters") or {}).get("binary_data_size")
        if size is None:
            continue
        if not isinstance(size, int) or size < 0 or offset + size > len(body):
            raise DataValidationError(
                f"input '{tensor.get('name')}' declares {size!r} binary bytes the body lacks"
            )
        tensor["data"] = _decode(body[offset : offset + size], str(tensor.get("datatype")))
        offset += size
    if offset != len(body):
        raise DataValidationError(f"{len(body) - offset} bytes after the last binary input")
    return header


def _decode(raw: bytes, datatype: str) -> list:
    if datatype == "BYTES":
        values, position = [], 0
        while position < len(raw):
            if position + 4 > len(raw):
                raise DataValidationError("a BYTES element is cut short")
            length = int.from_bytes(raw[position : position + 4], "little")
            position += 4
            element = raw[position : position + length]
            if len(element) != length:
                raise DataValidationError("a BYTES element is cut short")
            values.append(element.decode("utf-8", "replace"))
            position += length
        return values
    dtype = _NUMPY_TYPES.get(datatype)
    if dtype is None:
        raise DataValidationError(f"datatype {datatype!r} cannot be sent as binary data")
    if len(raw) % np.dtype(dtype).itemsize:
        raise DataValidationError(f"binary {datatype} data of {len(raw)} bytes is not whole")
    return np.frombuffer(raw, dtype=dtype).tolist()
