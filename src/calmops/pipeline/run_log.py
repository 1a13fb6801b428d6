"""Each run's per-row predictions: ``predictions/runs/<run-id>.parquet``.

One file per run (``log_predictions``, on by default) holds, for every row the champion
scored: the row's ``data.id_columns`` (under their own names), ``_calmops_row`` (its place
in the batch as scored: after ordering by ``data.time_column`` and leaving out rows without
a label), ``_calmops_source`` (the file or chunk), ``_calmops_prediction``, and the
probabilities: ``_calmops_proba`` (of the positive class) for a binary classifier,
``_calmops_proba:<class>`` per class for a multiclass one. Labels that arrive later
(``calmops labels``) are joined to these files by the id columns; the logs of runs that had
their labels (marked in the file's metadata) are left out of that join.

The file is written durably (temporary file, fsync, rename) before the run commits, like the
retained data: only files of runs the store records as ``succeeded`` are read, and the files
of runs that never committed (a crash between the write and the commit) are deleted when the
pipeline next starts (:func:`discard_orphans`), so no crashed run's rows are ever counted.
The columns are written with pyarrow straight from the arrays (no DataFrame round trip).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from calmops.atomic import atomic_write_bytes
from calmops.store import Store

__all__ = [
    "PREDICTION",
    "PROBA",
    "ROW",
    "SOURCE",
    "committed_logs",
    "discard_orphans",
    "is_labelled",
    "run_log_table",
    "runs_folder",
    "write_run_log",
]

META = "_calmops_"
ROW, SOURCE = META + "row", META + "source"
PREDICTION, PROBA = META + "prediction", META + "proba"
LABELLED = b"calmops.labelled"


def runs_folder(root: Path) -> Path:
    """Where a pipeline (folder ``root``) keeps its runs' prediction logs."""
    return root / "predictions" / "runs"


def run_log_table(
    predictions: np.ndarray,
    *,
    keys: Any = None,
    proba: Any = None,
    positive: Any = None,
    source: str | None = None,
    labelled: bool = False,
) -> Any:
    """The prediction log of one batch as a ``pyarrow.Table``.

    ``keys``: a DataFrame of id columns, one row per prediction; ``proba``: a
    :class:`calmops.models.metrics.Proba` (the positive class's column only when binary);
    ``labelled``: the batch had its labels (kept in the file's metadata, see :func:`is_labelled`).

    >>> import pandas as pd
    >>> from calmops.models.metrics import Proba
    >>> proba = Proba(np.array([[0.8, 0.2], [0.1, 0.9]]), np.array([0, 1]))
    >>> table = run_log_table(np.array([0, 1]), keys=pd.DataFrame({"id": ["a", "b"]}),
    ...                       proba=proba, positive=1, source="in.csv")
    >>> table.column_names
    ['id', '_calmops_row', '_calmops_source', '_calmops_prediction', '_calmops_proba']
    >>> table.column("_calmops_proba").to_pylist()
    [0.2, 0.9]
    """
    import pyarrow as pa

    rows = len(predictions)
    columns: dict[str, Any] = {}
    if keys is not None:
        for name in keys.columns:
            columns[str(name)] = pa.array(keys[name], from_pandas=True)
    columns[ROW] = pa.array(np.arange(rows, dtype=np.int64))
    columns[SOURCE] = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array([source or ""])
    )
    columns[PREDICTION] = _array(np.asarray(predictions))
    if proba is not None:
        classes = list(proba.classes)
        if len(classes) == 2 and positive is not None and _index(classes, positive) is not None:
            columns[PROBA] = pa.array(proba.values[:, _index(classes, positive)])
        else:
            for i, label in enumerate(classes):
                columns[f"{PROBA}:{label}"] = pa.array(proba.values[:, i])
    return pa.table(columns).replace_schema_metadata({LABELLED: b"1" if labelled else b"0"})


def is_labelled(path: Path) -> bool:
    """Whether the run of this log had its labels (its rows need no late ones)."""
    import pyarrow.parquet as pq

    return (pq.read_schema(path).metadata or {}).get(LABELLED) == b"1"


def write_run_log(root: Path, run_id: str, table: Any) -> Path:
    """Write ``table`` durably as the run's log; its path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    path = runs_folder(root) / f"{run_id}.parquet"
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return path


def committed_logs(store: Store, pipeline: str, root: Path) -> dict[str, Path]:
    """The logs of the pipeline's succeeded runs, by run id, oldest first."""
    folder = runs_folder(root)
    if not folder.is_dir():
        return {}
    present = {p.stem: p for p in folder.glob("*.parquet")}
    runs = store.runs.list(pipeline, limit=1_000_000)
    return {
        r.id: present[r.id] for r in reversed(runs) if r.status == "succeeded" and r.id in present
    }


def discard_orphans(store: Store, pipeline: str, root: Path) -> list[Path]:
    """Delete logs of runs that never committed (call with the pipeline's lock held)."""
    folder = runs_folder(root)
    if not folder.is_dir():
        return []
    known = {r.id for r in store.runs.list(pipeline, limit=1_000_000) if r.status == "succeeded"}
    orphans = [p for p in folder.glob("*.parquet") if p.stem not in known]
    for path in orphans:
        path.unlink(missing_ok=True)
    return orphans


def _index(classes: list, label: Any) -> int | None:
    for i, c in enumerate(classes):
        if c == label or str(c) == str(label):
            return i
    return None


def _array(values: np.ndarray) -> Any:
    import pyarrow as pa

    if values.dtype != object:
        return pa.array(values)
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: as text
        return pa.array([None if v is None else str(v) for v in values.tolist()])
