"""Served traffic as a batch for the pipeline: ``calmops run NAME --served``.

The prediction log files not yet monitored (``predictions/*.parquet``) become one batch file
``predictions/served/served-<first>--<last>.parquet`` holding their inputs; the log files then
move to ``predictions/consumed/``, so no row is taken twice; ``served-....json`` beside the
batch names the log files it holds (so labels joined later find the run that scored them).
The batch runs like any data file, so the store's ledger runs it exactly once even if a run
is interrupted and repeated.
Feedback labels (``feedback/*.parquet``, the newest label of a row wins) become the target
column when every row of the batch has one; otherwise the batch is unlabelled (drift only).
A label names its row by request id and row, or by the values of the pipeline's
``data.id_columns`` logged with the prediction (every prediction of that id gets it). A row
logged without its id or time column gets them empty, and its serving time as its time.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_bytes, fsync_directory
from calmops.server.predictions import BUFFERED_PREFIX, META

__all__ = [
    "ID_PREFIX",
    "Realized",
    "ServedBatch",
    "buffered_rows",
    "collect_served",
    "id_labels_of",
    "id_text",
    "labels_of",
    "realized",
    "served_batches",
]

KEY = [META + "request_id", META + "row"]
ID_PREFIX = META + "id:"  # feedback by id: one column per id column, its values as text


def id_text(value: Any) -> str | None:
    """An id value as the text both logs are joined on (``17``, ``17.0`` and ``"17"`` agree).

    >>> [id_text(v) for v in (17, 17.0, "17", "C-1", None, float("nan"))]
    ['17', '17', '17', 'C-1', None, None]
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Integral):
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class ServedBatch:
    """A batch made of logged traffic: where it is, how many rows, how many labelled."""

    path: Path
    rows: int
    labelled: int
    log_files: int


def _folder(root: Path) -> Path:
    return root / "predictions"


def buffered_rows(root: Path) -> tuple[int, float]:
    """Rows running servers still buffer for this pipeline, and their flush interval (s).

    Each server process publishes ``predictions/.buffered-<pid>.json``; files of processes
    that are gone (a crash) are ignored.

    >>> import tempfile
    >>> buffered_rows(Path(tempfile.mkdtemp()))
    (0, 0.0)
    """
    import json
    import os

    rows, seconds = 0, 0.0
    for path in _folder(root).glob(f"{BUFFERED_PREFIX}*.json"):
        try:
            state = json.loads(path.read_text())
            os.kill(int(state["pid"]), 0)
        except ProcessLookupError:
            continue
        except (OSError, ValueError, KeyError, TypeError):  # being replaced, or not ours
            continue
        rows += int(state.get("rows", 0))
        seconds = max(seconds, float(state.get("flush_seconds", 0.0)))
    return rows, seconds


def served_batches(root: Path) -> list[Path]:
    """Batch files made from traffic, oldest first (the ledger knows which ran)."""
    return sorted((_folder(root) / "served").glob("*.parquet"))


def _feedback(root: Path) -> Any:
    import pandas as pd

    files = sorted((root / "feedback").glob("*.parquet"))
    if not files:
        return None
    frame = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    return frame.sort_values(META + "received_at", kind="stable")


def labels_of(root: Path) -> Any:
    """Every feedback label sent by request id, the newest per (request id, row); or None."""
    frame = _feedback(root)
    if frame is None or KEY[0] not in frame.columns:
        return None
    frame = frame[frame[KEY[0]].notna()].drop_duplicates(KEY, keep="last")
    return frame[[*KEY, META + "label"]].astype({META + "label": object})


def id_labels_of(root: Path, id_columns: tuple[str, ...]) -> Any:
    """Every feedback label sent by id, the newest per id (columns named as the ids); or None."""
    frame = _feedback(root)
    keys = [ID_PREFIX + c for c in id_columns]
    if frame is None or not keys or not set(keys) <= set(frame.columns):
        return None
    frame = frame[frame[keys].notna().all(axis=1)].drop_duplicates(keys, keep="last")
    frame = frame[[*keys, META + "label"]].astype({META + "label": object})
    return frame.rename(columns=dict(zip(keys, id_columns, strict=True)))


def _labels(frame: Any, root: Path, id_columns: tuple[str, ...]) -> Any:
    """The feedback label of each logged row (by request id, else by id), NaN without one."""
    import pandas as pd

    label = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    by_request = labels_of(root)
    if by_request is not None and KEY[0] in frame.columns:
        keys = frame[KEY].astype({KEY[1]: "int64"})
        joined = keys.merge(by_request.astype({KEY[1]: "int64"}), on=KEY, how="left")
        label[:] = joined[META + "label"].to_numpy()
    by_id = id_labels_of(root, id_columns)
    if by_id is not None and set(id_columns) <= set(frame.columns):
        keys = pd.DataFrame({c: [id_text(v) for v in frame[c].tolist()] for c in id_columns})
        joined = keys.merge(by_id, on=list(id_columns), how="left")[META + "label"]
        missing = label.isna().to_numpy()
        label[missing] = joined.to_numpy()[missing]
    return label


def collect_served(
    root: Path,
    target: str | None,
    id_columns: tuple[str, ...] = (),
    time_column: str | None = None,
) -> ServedBatch | None:
    """Turn the traffic logged since the last call into one batch file (None if none).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from calmops.server.predictions import ParquetLog
    >>> root = Path(tempfile.mkdtemp())
    >>> book = ParquetLog(root / "predictions")
    >>> _ = book.append({"x": np.array([1.0, 2.0]), META + "request_id": ["a", "a"],
    ...                  META + "row": np.array([0, 1], dtype=np.int32)})
    >>> _ = book.flush()
    >>> batch = collect_served(root, target="y")
    >>> batch.rows, batch.labelled, batch.path.parent.name
    (2, 0, 'served')
    >>> collect_served(root, target="y") is None  # nothing is taken twice
    True
    """
    import pandas as pd

    folder = _folder(root)
    logs = sorted(folder.glob("*.parquet"))
    if not logs:
        return None
    frame = pd.concat([pd.read_parquet(p) for p in logs], ignore_index=True)
    inputs = frame[[c for c in frame.columns if not str(c).startswith(META)]].copy()
    _fill_roles(inputs, frame, id_columns, time_column)
    labelled = 0
    if target:
        label = _labels(frame, root, id_columns)
        labelled = int(label.notna().sum())
        if labelled == len(frame):
            inputs[target] = label.to_numpy()
    buffer = io.BytesIO()
    inputs.to_parquet(buffer, index=False)
    batch = folder / "served" / f"served-{logs[0].stem}--{logs[-1].stem}.parquet"
    manifest = {"batch": batch.name, "logs": [p.name for p in logs]}
    atomic_write_bytes(batch.with_suffix(".json"), json.dumps(manifest).encode())
    atomic_write_bytes(batch, buffer.getvalue())
    consumed = folder / "consumed"
    consumed.mkdir(exist_ok=True)
    for path in logs:
        path.rename(consumed / path.name)
    fsync_directory(consumed)
    fsync_directory(folder)
    return ServedBatch(batch, len(frame), labelled, len(logs))


def _fill_roles(
    inputs: Any, frame: Any, id_columns: tuple[str, ...], time_column: str | None
) -> None:
    """Id columns a client did not send are empty; a missing time is the serving time."""
    for column in id_columns:
        if column not in inputs.columns:
            inputs[column] = None
    if time_column and META + "served_at" in frame.columns:
        served = frame[META + "served_at"].astype(str)
        if time_column not in inputs.columns:
            inputs[time_column] = served.to_numpy()
        else:
            given = inputs[time_column].astype(object)
            inputs[time_column] = given.where(given.notna(), served)


@dataclass(frozen=True)
class Realized:
    """How the served predictions did against the labels fed back so far, per model version."""

    rows: int
    labelled: int
    metrics: dict[int, dict[str, float]]  # model version -> metric -> value


def realized(root: Path, task: str, id_columns: tuple[str, ...] = ()) -> Realized:
    """Join every logged prediction (monitored or not) with its feedback label and score it.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from calmops.server.predictions import ParquetLog
    >>> root = Path(tempfile.mkdtemp())
    >>> served = ParquetLog(root / "predictions")
    >>> _ = served.append({META + "request_id": np.array(["a", "b"], dtype=object),
    ...                    META + "row": np.array([0, 0], dtype=np.int32),
    ...                    META + "model_version": np.array([1, 1]),
    ...                    META + "prediction": np.array([1, 0])})
    >>> _ = served.flush()
    >>> labels = ParquetLog(root / "feedback")
    >>> _ = labels.append({META + "request_id": np.array(["a"], dtype=object),
    ...                    META + "row": np.array([0], dtype=np.int32),
    ...                    META + "received_at": np.array(["2026-01-01"], dtype="datetime64[us]"),
    ...                    META + "label": np.array([1], dtype=object)})
    >>> _ = labels.flush()
    >>> result = realized(root, "classification")
    >>> result.rows, result.labelled, result.metrics[1]["accuracy"]
    (2, 1, 1.0)
    """
    import pandas as pd

    from calmops.models.metrics import scores

    folder = _folder(root)
    files = sorted(folder.glob("*.parquet")) + sorted((folder / "consumed").glob("*.parquet"))
    if not files:
        return Realized(0, 0, {})
    wanted = [*KEY, META + "model_version", META + "prediction", *id_columns]
    frame = pd.concat([_read_some(p, wanted) for p in files], ignore_index=True)
    label = _labels(frame, root, id_columns)
    joined = frame.assign(**{META + "label": label.to_numpy()})[label.notna().to_numpy()]
    metrics = {}
    for version, group in joined.groupby(META + "model_version"):
        truth, predicted = group[META + "label"].to_numpy(), group[META + "prediction"].to_numpy()
        if task == "classification":
            truth, predicted = truth.astype(str), predicted.astype(str)
        else:
            truth, predicted = truth.astype(float), predicted.astype(float)
        metrics[int(version)] = scores(truth, predicted, task)
    return Realized(len(frame), len(joined), metrics)


def _read_some(path: Path, columns: list[str]) -> Any:
    """The ``columns`` of a Parquet file that it has (an id column may be absent)."""
    import pandas as pd
    import pyarrow.parquet as pq

    present = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in columns if c in present])
