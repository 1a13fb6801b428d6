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

__all__ = ["CSV_CHUNK_ROWS", "FORMATS", "RECORD_NAME", "json_arg", "write_atomic"]

FORMATS = ("csv", "parquet")
RECORD_NAME = "drift_record.json"
CSV_CHUNK_ROWS = 50_000


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
