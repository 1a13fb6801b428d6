"""The current side of `calmops drift`: a data file, or a folder of Parquet files.

A file is read whole. A folder (a partitioned Parquet dataset, hive partitions too) is
profiled slice by slice like the reference (:func:`calmops.drift.partitioned.fit_like`), so
a current batch larger than memory can be compared; the role hints then read its first
slice, and label drift reads the label column alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from calmops.drift import Profile

__all__ = ["current_labels", "read_current"]

#: rows of each slice of a Parquet folder (one slice is in memory at a time)
SLICE_ROWS = 1_000_000


def read_current(
    path: Path, reference: Profile, options: dict[str, Any], hint_rows: int
) -> tuple[pd.DataFrame | Profile, pd.DataFrame]:
    """``(what compare tests, the rows the role hints read)``."""
    from calmops.io import read_table

    if not path.is_dir():
        table = read_table(path)
        return table, table
    from calmops.drift.partitioned import fit_like, fit_parquet, head_parquet

    like = fit_like(reference, path, options["columns"], options["exclude"])
    fitted = fit_parquet(path, batch_rows=SLICE_ROWS, seed=options["seed"], **like)
    return fitted, head_parquet(path, hint_rows)


def current_labels(path: Path, current: Any, target: str) -> pd.Series | None:
    """The current label column (None without one): from the table, or read alone from a
    Parquet folder."""
    import pandas as pd

    if isinstance(current, pd.DataFrame):
        return current[target] if target in current.columns else None
    from calmops.drift.partitioned import parquet_columns

    if target not in parquet_columns(path):
        return None
    return pd.read_parquet(path, columns=[target])[target]
