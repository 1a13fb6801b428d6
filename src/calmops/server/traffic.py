"""Served traffic as a batch for the pipeline: ``calmops run NAME --served``.

The prediction log files not yet monitored (``predictions/*.parquet``) become one batch file
``predictions/served/served-<first>--<last>.parquet`` holding their inputs; the log files then
move to ``predictions/consumed/``, so no row is taken twice. The batch runs like any data
file, so the store's ledger runs it exactly once even if a run is interrupted and repeated.
Feedback labels (``feedback/*.parquet``, the newest label of a row wins) become the target
column when every row of the batch has one; otherwise the batch is unlabelled (drift only).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_bytes, fsync_directory
from calmops.server.predictions import META

__all__ = ["Realized", "ServedBatch", "collect_served", "labels_of", "realized", "served_batches"]

KEY = [META + "request_id", META + "row"]


@dataclass(frozen=True)
class ServedBatch:
    """A batch made of logged traffic: where it is, how many rows, how many labelled."""

    path: Path
    rows: int
    labelled: int
    log_files: int


def _folder(root: Path) -> Path:
    return root / "predictions"


def served_batches(root: Path) -> list[Path]:
    """Batch files made from traffic, oldest first (the ledger knows which ran)."""
    return sorted((_folder(root) / "served").glob("*.parquet"))


def labels_of(root: Path) -> Any:
    """Every feedback label of a pipeline folder, the newest per (request id, row); or None."""
    import pandas as pd

    files = sorted((root / "feedback").glob("*.parquet"))
    if not files:
        return None
    frame = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    frame = frame.sort_values(META + "received_at", kind="stable")
    return frame.drop_duplicates(KEY, keep="last")[[*KEY, META + "label"]]


def collect_served(root: Path, target: str | None) -> ServedBatch | None:
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
    labelled = 0
    labels = labels_of(root) if target else None
    if labels is not None and KEY[0] in frame.columns:
        keys = frame[KEY].astype({KEY[1]: "int64"})
        joined = keys.merge(labels.astype({KEY[1]: "int64"}), on=KEY, how="left")
        labelled = int(joined[META + "label"].notna().sum())
        if labelled == len(frame):
            inputs[target] = joined[META + "label"].to_numpy()
    buffer = io.BytesIO()
    inputs.to_parquet(buffer, index=False)
    batch = folder / "served" / f"served-{logs[0].stem}--{logs[-1].stem}.parquet"
    atomic_write_bytes(batch, buffer.getvalue())
    consumed = folder / "consumed"
    consumed.mkdir(exist_ok=True)
    for path in logs:
        path.rename(consumed / path.name)
    fsync_directory(consumed)
    fsync_directory(folder)
    return ServedBatch(batch, len(frame), labelled, len(logs))


@dataclass(frozen=True)
class Realized:
    """How the served predictions did against the labels fed back so far, per model version."""

    rows: int
    labelled: int
    metrics: dict[int, dict[str, float]]  # model version -> metric -> value


def realized(root: Path, task: str) -> Realized:
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
    wanted = [*KEY, META + "model_version", META + "prediction"]
    if not files:
        return Realized(0, 0, {})
    frame = pd.concat([pd.read_parquet(p, columns=wanted) for p in files], ignore_index=True)
    labels = labels_of(root)
    if labels is None:
        return Realized(len(frame), 0, {})
    keys = frame.astype({KEY[1]: "int64"})
    joined = keys.merge(labels.astype({KEY[1]: "int64"}), on=KEY, how="inner")
    metrics = {}
    for version, group in joined.groupby(META + "model_version"):
        truth, predicted = group[META + "label"].to_numpy(), group[META + "prediction"].to_numpy()
        if task == "classification":
            truth, predicted = truth.astype(str), predicted.astype(str)
        else:
            truth, predicted = truth.astype(float), predicted.astype(float)
        metrics[int(version)] = scores(truth, predicted, task)
    return Realized(len(frame), len(joined), metrics)
