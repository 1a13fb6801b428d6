"""What the ``generate`` commands share: output formats, JSON options, atomic writes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CSV_CHUNK_ROWS",
    "FORMATS",
    "RECORD_NAME",
    "json_arg",
    "json_value",
    "key_values",
    "write_atomic",
]

FORMATS = ("csv", "parquet")
RECORD_NAME = "drift_record.json"
CSV_CHUNK_ROWS = 50_000


def json_value(text: str) -> Any:
    """``text`` as JSON when it parses (``3``, ``true``, ``[1, 2]``), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def key_values(items: list[str], option: str) -> dict[str, Any]:
    """``KEY=VALUE`` items (VALUE as JSON when it parses) as a dict.

    Examples
    --------
    >>> key_values(["min_samples_leaf=10", "smoothing=false", "order=a"], "--param")
    {'min_samples_leaf': 10, 'smoothing': False, 'order': 'a'}
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"{option} must look like KEY=VALUE, got {item!r}")
        out[key.strip()] = json_value(value)
    return out


def json_arg(text: str | None, option: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"{option} is not valid JSON ({error.msg}): {text}") from None
    if not isinstance(value, dict):
        raise SpecError(f"{option} must be a JSON object like '{{\"variant\": 1}}', got {text}")
    return value


def write_atomic(
    frame: pd.DataFrame, path: Path, fmt: str, advance: Callable[[int], Any] = lambda rows: None
) -> None:
    """Write to a hidden temporary file, then rename: a watcher never sees half a file.

    CSV is written in chunks of rows, calling ``advance(rows)`` after each (for progress).
    """
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
        advance(len(frame))
    else:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            for start in range(0, len(frame), CSV_CHUNK_ROWS):
                part = frame.iloc[start : start + CSV_CHUNK_ROWS]
                part.to_csv(handle, index=False, header=start == 0)
                advance(len(part))
    os.replace(tmp, path)
