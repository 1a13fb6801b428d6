"""Reference against current: one overlay figure per column, and the batch a tab looks at.

Numeric columns are binned on common edges (``BINS`` equal-width bins over both ranges) from
the reference profile's sample and the current values; categorical columns show the shares
of their most frequent categories. Shares, not counts, so sizes compare.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.pipeline.report import RunReport
from calmops.store import RunRecord
from calmops.web import figures
from calmops.web.reader import Reader

__all__ = ["MAX_ROWS", "latest_batch", "overlay", "reference_version"]

BINS = 40
TOP_CATEGORIES = 20
#: rows of a batch a tab reads at most
MAX_ROWS = 200_000


def reference_version(report: RunReport, run: RunRecord) -> int | None:
    """The champion whose reference the batch of ``run`` was compared with."""
    return report.champion_before or report.champion_after or run.model_version


def latest_batch(
    reader: Reader, name: str, runs: list[RunRecord]
) -> tuple[RunRecord, pd.DataFrame] | tuple[None, None]:
    """``(run, frame)`` of the newest run whose batch can still be read, else ``(None, None)``.

    The retained copy (``data/<run-id>.parquet``: the features the model saw and the target)
    is read first; otherwise the run's file, if it is still there. At most :data:`MAX_ROWS`
    rows; the target column keeps the spec's name.
    """
    from calmops.pipeline.retained import TARGET_COLUMN, RetainedData

    retained = RetainedData(reader.ws.store, name, reader.paths(name).artifacts.child("data"))
    target = (reader.pipeline(name).spec.get("data") or {}).get("target") or "target"
    for run in runs:
        if run.status != "succeeded":
            continue
        if retained.has(run.id):
            frame = reader.frame(
                ("batch", name, run.id, "retained"),
                lambda r=run.id: _renamed(retained.read(r), TARGET_COLUMN, target),
            )
            if frame is not None:
                return run, frame
        source = Path(run.source) if run.source else None
        for path in (source,):
            if path is not None and path.is_file():
                frame = reader.frame(
                    ("batch", name, run.id, str(path)),
                    lambda p=path: _read(p, TARGET_COLUMN, target),
                )
                if frame is not None:
                    return run, frame
    return None, None


def _read(path: Path, stored: str, target: str) -> pd.DataFrame | None:
    from calmops.errors import DataFileError

    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            from calmops.io import read_table

            frame = read_table(path)
    except (DataFileError, OSError, ValueError):
        return None
    return _renamed(frame, stored, target)


def _renamed(frame: pd.DataFrame | None, stored: str, target: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    if stored in frame.columns:
        frame = frame.rename(columns={stored: target})
    return frame.head(MAX_ROWS)


def overlay(column: str, current: pd.Series | None, reference: Any) -> dict[str, Any] | None:
    """The reference-vs-current figure of one column (None when neither side is known).

    ``reference`` is a :class:`~calmops.drift.profile.ColumnProfile` or None.
    """
    from calmops.drift.sides import NumericSide

    side = None if reference is None else reference.side
    numeric = isinstance(side, NumericSide) or (
        side is None
        and current is not None
        and pd.api.types.is_numeric_dtype(current.dtype)
        and not pd.api.types.is_bool_dtype(current.dtype)
    )
    if numeric:
        return _numeric(column, current, side)
    return _categorical(column, current, side)


def _numeric(column: str, current: pd.Series | None, side: Any) -> dict[str, Any] | None:
    ref = np.asarray(side.sample, dtype=float) if side is not None else np.empty(0)
    cur = np.empty(0)
    if current is not None:
        cur = pd.to_numeric(current, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        cur = cur[np.isfinite(cur)]
    both = np.concatenate([ref, cur])
    if both.size == 0:
        return None
    low, high = float(both.min()), float(both.max())
    if high <= low:
        high = low + 1.0
    edges = np.linspace(low, high, BINS + 1)
    centres = ((edges[:-1] + edges[1:]) / 2).round(6).tolist()
    data = []
    for label, values, color in (("reference", ref, "#94a3b8"), ("current", cur, "#2563eb")):
        if values.size:
            counts, _ = np.histogram(values, bins=edges)
            data.append(
                {"type": "bar", "name": label, "x": centres,
                 "y": (counts / values.size).round(5).tolist(), "marker": {"color": color},
                 "opacity": 0.6}
            )  # fmt: skip
    fig = {"data": data, "layout": figures.layout("share of rows", column, barmode="overlay")}
    fig["layout"]["bargap"] = 0.02
    return fig


def _categorical(column: str, current: pd.Series | None, side: Any) -> dict[str, Any] | None:
    ref = {str(k): v for k, v in side.as_dict().items()} if side is not None else {}
    cur: dict[str, int] = {}
    if current is not None:
        cur = {str(k): int(v) for k, v in current.dropna().astype(str).value_counts().items()}
    if not ref and not cur:
        return None
    total_ref, total_cur = sum(ref.values()) or 1, sum(cur.values()) or 1
    keys = sorted(set(ref) | set(cur), key=lambda k: -(ref.get(k, 0) / total_ref
                                                      + cur.get(k, 0) / total_cur))  # fmt: skip
    keys = keys[:TOP_CATEGORIES]
    data = []
    for label, counts, total, color in (
        ("reference", ref, total_ref, "#94a3b8"),
        ("current", cur, total_cur, "#2563eb"),
    ):
        if counts:
            data.append(
                {"type": "bar", "name": label, "x": keys,
                 "y": [round(counts.get(k, 0) / total, 5) for k in keys],
                 "marker": {"color": color}}
            )  # fmt: skip
    fig = {"data": data, "layout": figures.layout("share of rows", column, barmode="group")}
    return figures.categorical_x(fig)
