"""``calmops labels ... --run`` exactly once: the labelled rows as a batch file the ledger claims.

The labelled rows of a labels file are written as ``labels/<file>-<digest>.parquet`` in the
pipeline's folder and run like any data file, claiming in the store's ledger both that batch
file and the labels file itself (by content). So the same labels file run twice finds its
content settled and runs nothing (:func:`ran_before` says by which run), and a changed labels
file runs only the rows that no earlier labelled batch of the pipeline ran
(:func:`ran_batches`, :func:`not_run_yet`): each labelled row goes through the loop once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from calmops.atomic import atomic_write_bytes
from calmops.errors import RunNotFoundError
from calmops.pipeline.labels import key_text
from calmops.store import FileKey, LedgerEntry, Store

__all__ = ["batch_folder", "not_run_yet", "ran_batches", "ran_before", "write_batch"]


def batch_folder(root: Path) -> Path:
    """Where a pipeline (folder ``root``) keeps the labelled batches ``--run`` made."""
    return root / "labels"


def ran_before(store: Store, pipeline: str, labels: FileKey) -> LedgerEntry | None:
    """The ledger's entry of a settled run that already claimed this labels file's content
    (None: it was never run, or its run is still in progress)."""
    for entry in store.runs.ledger(pipeline):
        same = (entry.file.size, entry.file.sha256) == (labels.size, labels.sha256)
        if same and entry.status != "processing":
            return entry
    return None


def ran_batches(store: Store, pipeline: str, root: Path) -> list[Path]:
    """The labelled batches of the pipeline that ran with success (the ledger says so)."""
    folder = batch_folder(root).absolute()
    return [
        Path(e.file.path)
        for e in store.runs.ledger(pipeline)
        if e.status == "done" and Path(e.file.path).parent == folder
    ]


def not_run_yet(frame: pd.DataFrame, keys: list[str], ran: list[Path]) -> tuple[pd.DataFrame, int]:
    """The rows of ``frame`` whose keys none of the batches ``ran`` holds, and how many were
    left out (keys compared as text, see :func:`calmops.pipeline.labels.key_text`).

    Examples
    --------
    >>> import tempfile
    >>> earlier = Path(tempfile.mkdtemp()) / "l-1.parquet"
    >>> pd.DataFrame({"id": [1, 2], "y": [0, 1]}).to_parquet(earlier)
    >>> frame = pd.DataFrame({"id": ["1", "2", "3"], "y": [0, 1, 1]})
    >>> kept, left = not_run_yet(frame, ["id"], [earlier])
    >>> kept["id"].tolist(), left
    (['3'], 2)
    """
    seen = [pd.read_parquet(p, columns=keys) for p in ran if p.is_file()]
    if not seen or not len(frame):
        return frame, 0
    done = pd.concat(seen, ignore_index=True)
    done = pd.DataFrame({k: key_text(done[k]) for k in keys}).drop_duplicates()
    mine = pd.DataFrame({k: key_text(frame[k]) for k in keys})
    flag = mine.merge(done.assign(_ran=True), on=keys, how="left")["_ran"].notna().to_numpy()
    return frame[~flag].reset_index(drop=True), int(flag.sum())


def write_batch(root: Path, labels_file: Path, labels: FileKey, frame: pd.DataFrame) -> Path:
    """Write the labelled rows durably as the batch of this labels file; its path."""
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    path = batch_folder(root) / f"{labels_file.stem}-{labels.sha256[:12]}.parquet"
    atomic_write_bytes(path, buffer.getvalue())
    return path


def describe_earlier(store: Store, pipeline: str, entry: LedgerEntry) -> dict[str, Any]:
    """What the earlier run of the same labels did: its id, status and decision."""
    try:
        run = store.runs.get(pipeline, entry.run_id) if entry.run_id else None
    except RunNotFoundError:  # pruned by retention; the ledger still knows the file
        run = None
    return {
        "run_id": entry.run_id,
        "status": None if run is None else run.status,
        "decision": None if run is None else run.decision,
        "error": None if run is None else run.error,
        "at": entry.processed_at.isoformat(timespec="seconds"),
    }
