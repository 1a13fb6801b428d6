"""Retained training data: the labelled rows of accepted batches, under ``data/``
(in the pipeline's artifact store, :mod:`calmops.artifacts`).

Each successful labelled run adds ``data/<run-id>.parquet``; only files of committed runs are
read (the store records them as succeeded, or retention pruned them), so a crashed run's
file is ignored. The total is capped
(``retrain.max_retained_rows``): the oldest files go first.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from calmops.artifacts import ArtifactStore, LocalArtifacts
from calmops.errors import ArtifactNotFoundError
from calmops.models.strategies import Batch
from calmops.pipeline.retention import committed
from calmops.store import Store

__all__ = ["RetainedData"]

TARGET_COLUMN = "__calmops_target__"


class RetainedData:
    """The retained batches of one pipeline, in ``folder`` (the ``data/`` folder, or an
    artifact store scoped to it)."""

    def __init__(self, store: Store, pipeline: str, folder: Path | ArtifactStore) -> None:
        self.store = store
        self.pipeline = pipeline
        self.artifacts = LocalArtifacts(folder) if isinstance(folder, Path) else folder

    def write(self, run_id: str, batch: Batch) -> str:
        """Store a run's labelled rows (durably, before the run commits); their key."""
        frame = batch.X.reset_index(drop=True).copy()
        frame[TARGET_COLUMN] = batch.y.reset_index(drop=True).to_numpy()
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        self.artifacts.put(f"{run_id}.parquet", buffer.getvalue())
        return f"{run_id}.parquet"

    def has(self, run_id: str) -> bool:
        """Whether run ``run_id`` kept its rows."""
        return self.artifacts.exists(f"{run_id}.parquet")

    def read(self, run_id: str) -> pd.DataFrame | None:
        """The rows run ``run_id`` kept (target in ``TARGET_COLUMN``), or None."""
        try:
            return pd.read_parquet(io.BytesIO(self.artifacts.get(f"{run_id}.parquet")))
        except ArtifactNotFoundError:
            return None

    def load(self, cap: int) -> tuple[Batch, ...]:
        """The retained batches, oldest first, at most ``cap`` rows in all (newest kept)."""
        batches: list[Batch] = []
        total = 0
        for key in reversed(self._committed()):  # newest first
            if total >= cap:
                self.artifacts.delete(key)
                continue
            frame = self.read(key.removesuffix(".parquet"))
            if frame is None:
                continue
            if total + len(frame) > cap:
                frame = frame.iloc[len(frame) - (cap - total) :]
            total += len(frame)
            y = frame.pop(TARGET_COLUMN)
            batches.append(Batch(frame.reset_index(drop=True), y.reset_index(drop=True)))
        return tuple(reversed(batches))

    def discard_orphans(self) -> list[str]:
        """Delete files of runs that never committed (a crash between write and commit);
        their keys."""
        kept = set(self._committed())
        orphans = [k for k in self._stored() if k not in kept]
        for key in orphans:
            self.artifacts.delete(key)
        return orphans

    def _stored(self) -> list[str]:
        """The keys of every retained file, committed or not."""
        return [k for k in self.artifacts.list() if "/" not in k and k.endswith(".parquet")]

    def _committed(self) -> list[str]:
        """The keys of committed runs' files, oldest first (see :func:`retention.committed`)."""
        runs = self.store.runs.list(self.pipeline, limit=100_000)
        return [path.name for path in committed(map(Path, self._stored()), runs)]
