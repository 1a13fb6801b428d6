"""Retained training data: the labelled rows of accepted batches, under ``data/``.

Each successful labelled run adds ``data/<run-id>.parquet``; only files of committed runs are
read (the store records them as succeeded, or retention pruned them), so a crashed run's
file is ignored. The total is capped
(``retrain.max_retained_rows``): the oldest files go first.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from calmops.atomic import atomic_write_bytes
from calmops.models.strategies import Batch
from calmops.pipeline.retention import committed
from calmops.store import Store

__all__ = ["RetainedData"]

TARGET_COLUMN = "__calmops_target__"


class RetainedData:
    """The retained batches of one pipeline."""

    def __init__(self, store: Store, pipeline: str, folder: Path) -> None:
        self.store = store
        self.pipeline = pipeline
        self.folder = folder

    def write(self, run_id: str, batch: Batch) -> Path:
        """Store a run's labelled rows (durably, before the run commits)."""
        frame = batch.X.reset_index(drop=True).copy()
        frame[TARGET_COLUMN] = batch.y.reset_index(drop=True).to_numpy()
        path = self.folder / f"{run_id}.parquet"
        import io

        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        atomic_write_bytes(path, buffer.getvalue())
        return path

    def load(self, cap: int) -> tuple[Batch, ...]:
        """The retained batches, oldest first, at most ``cap`` rows in all (newest kept)."""
        batches: list[Batch] = []
        total = 0
        for path in reversed(self._committed()):  # newest first
            if total >= cap:
                path.unlink()
                continue
            frame = pd.read_parquet(path)
            if total + len(frame) > cap:
                frame = frame.iloc[len(frame) - (cap - total) :]
            total += len(frame)
            y = frame.pop(TARGET_COLUMN)
            batches.append(Batch(frame.reset_index(drop=True), y.reset_index(drop=True)))
        return tuple(reversed(batches))

    def discard_orphans(self) -> list[Path]:
        """Delete files of runs that never committed (a crash between write and commit)."""
        kept = set(self._committed())
        orphans = [p for p in self.folder.glob("*.parquet") if p not in kept]
        for path in orphans:
            path.unlink(missing_ok=True)
        return orphans

    def _committed(self) -> list[Path]:
        """The files of committed runs, oldest first (see :func:`retention.committed`)."""
        runs = self.store.runs.list(self.pipeline, limit=100_000)
        return committed(self.folder.glob("*.parquet"), runs)
