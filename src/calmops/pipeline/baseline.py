"""The champion's performance baseline: its holdout rows, then every labelled batch it
scored without drift.

A baseline that grows with accepted batches is a much sharper yardstick than the holdout
alone, so performance drift fires on real drops, not on a lucky holdout. Each batch adds
``reference/v<N>/performance/<run-id>.npz``; only files of committed runs are read, and
files older than the newest ``MAX_ROWS`` recorded rows are deleted when the baseline is read.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from calmops.artifacts import ArtifactStore, LocalArtifacts
from calmops.models.registry import Holdout, holdout_arrays, holdout_from
from calmops.pipeline.retention import committed
from calmops.store import Store

__all__ = ["PerformanceBaseline"]

MAX_ROWS = 50_000


class PerformanceBaseline:
    """Labels and predictions of one champion version on the rows it has been judged by."""

    def __init__(self, store: Store, pipeline: str, folder: Path | ArtifactStore) -> None:
        self.store = store
        self.pipeline = pipeline
        self.artifacts = LocalArtifacts(folder) if isinstance(folder, Path) else folder

    @classmethod
    def of(cls, ctx: Any) -> PerformanceBaseline:
        """The baseline of the run's champion (``reference/v<N>/performance/``)."""
        key = f"reference/v{ctx.champion.version}/performance"
        return cls(ctx.store, ctx.spec.name, ctx.paths.artifacts.child(key))

    def add(self, run_id: str, batch: Holdout) -> None:
        """Record a batch the champion scored without drift (before the run commits)."""
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **holdout_arrays(batch))
        self.artifacts.put(f"{run_id}.npz", buffer.getvalue())

    def load(self, holdout: Holdout | None, cap: int | None = None) -> Holdout | None:
        """The holdout plus the recorded batches of committed runs, newest rows kept
        (probabilities too when every part has them, with the same classes)."""
        cap = MAX_ROWS if cap is None else cap
        parts = [] if holdout is None else [holdout]
        stored = [k for k in self.artifacts.list() if "/" not in k and k.endswith(".npz")]
        if stored:
            runs = self.store.runs.list(self.pipeline, limit=100_000)
            recorded, rows = [], 0
            for path in reversed(committed(map(Path, stored), runs)):  # newest first
                if rows >= max(cap, MAX_ROWS):  # rows no load can reach again: bounded folder
                    self.artifacts.delete(path.name)
                    continue
                if rows >= cap:
                    continue
                with np.load(io.BytesIO(self.artifacts.get(path.name)), allow_pickle=False) as a:
                    recorded.append(holdout_from(a))
                rows += len(recorded[-1].y_true)
            parts += reversed(recorded)
        if not parts:
            return None
        y_true = np.concatenate([p.y_true for p in parts])[-cap:]
        y_pred = np.concatenate([p.y_pred for p in parts])[-cap:]
        classes = [None if p.proba is None else p.classes.astype(str).tolist() for p in parts]
        if classes[0] is None or any(c != classes[0] for c in classes):
            return Holdout(y_true, y_pred)
        proba = np.concatenate([p.proba for p in parts])[-cap:]
        return Holdout(y_true, y_pred, proba, parts[0].classes)
