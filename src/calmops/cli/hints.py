"""Warnings at ``calmops create``: columns of the first data file that look like identifiers
or event times and were given no role (see :mod:`calmops.io.roles`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from calmops.spec import PipelineSpec

__all__ = ["FLAGS", "HINT_ROWS", "create_hints", "first_rows"]

FLAGS = {"id_columns": "--id-column", "time_column": "--time-column"}
HINT_ROWS = 10_000


def create_hints(spec: PipelineSpec) -> list[str]:
    """The role warnings for the first data file of ``spec.data.dir`` ([] without one)."""
    from calmops.errors import DataFileError
    from calmops.io import role_hints
    from calmops.pipeline.files import data_files

    data = spec.data
    if not data.dir.is_dir():
        return []
    files = data_files(data.dir, data.patterns, data.recursive)
    if not files:
        return []
    try:
        frame = first_rows(files[0], HINT_ROWS)
    except (DataFileError, ValueError, OSError):
        return []  # the run will say what is wrong with the file
    return [hint.message(FLAGS.get(hint.role)) for hint in role_hints(frame, data.role_columns())]


def first_rows(path: Path, rows: int) -> pd.DataFrame:
    """About the first ``rows`` rows of a data file: delimited text is read no further."""
    import pandas as pd

    from calmops.io import detect_format, read_table

    if detect_format(path) in {"csv", "tsv"}:
        return pd.read_csv(path, sep=None, engine="python", nrows=rows, encoding_errors="replace")
    return read_table(path).head(rows)
