"""The champion's performance baseline: its holdout rows, then every labelled batch it
scored without drift.

A baseline that grows with accepted batches is a much sharper yardstick than the holdout
alone, so performance drift fires on real drops, not on a lucky holdout. Each batch adds
``reference/v<N>/performance/<run-id>.npz``; only files of committed runs are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from calmops.atomic import atomic_write_bytes
from calmops.models.registry import Holdout, holdout_arrays, holdout_from
from calmops.pipeline.retention import committed
from calmops.store import Store

__all__ = ["PerformanceBaseline"]

MAX_ROWS = 50_000


class PerformanceBaseline:
    """Labels and predictions of one champion version on the rows it has been judged by."""

    def __init__(self, store: Store, pipeline: str, folder: Path) -> None:
        self.store = store
        self.pipeline = pipeline
        self.folder = folder

    @classmethod
    def of(cls, ctx: Any) -> PerformanceBaseline:
        """The baseline of the run's champion (``reference/v<N>/performance/``)."""
        folder = ctx.paths.reference / f"v{ctx.champion.version}" / "performance"
        return cls(ctx.store, ctx.spec.name, folder)

    def add(self, run_id: str, batch: Holdout) -> None:
        """Record a batch the champion scored without drift (before the run commits)."""
        import io

        buffer = io.BytesIO()
        np.savez_compressed(buffer, **holdout_arrays(batch))
        atomic_write_bytes(self.folder / f"{run_id}.npz", buffer.getvalue())

    def load(self, holdout: Holdout | None, cap: int = MAX_ROWS) -> Holdout | None:
        """The holdout plus the recorded batches of committed runs, newest rows kept
        (probabilities too when every part has them, with the same classes)."""
        parts = [] if holdout is None else [holdout]
        if self.folder.is_dir():
            runs = self.store.runs.list(self.pipeline, limit=100_000)
            done = set(committed(self.folder.glob("*.npz"), runs))
            for path in sorted(self.folder.glob("*.npz")):  # run ids sort by time
                if path in done:
                    with np.load(path, allow_pickle=False) as arrays:
                        parts.append(holdout_from(arrays))
        if not parts:
            return None
        y_true = np.concatenate([p.y_true for p in parts])[-cap:]
        y_pred = np.concatenate([p.y_pred for p in parts])[-cap:]
        classes = [None if p.proba is None else p.classes.astype(str).tolist() for p in parts]
        if classes[0] is None or any(c != classes[0] for c in classes):
            return Holdout(y_true, y_pred)
        proba = np.concatenate([p.proba for p in parts])[-cap:]
        return Holdout(y_true, y_pred, proba, parts[0].classes)
