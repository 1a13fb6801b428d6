"""Splitting a batch into its blocks (block and IPIP kinds): the block of each row, the
natural order, notes on blocks too small or with a single class, and metrics per block."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError
from calmops.io.order import as_text, natural_order
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import measure
from calmops.pipeline.sections import BlocksSection
from calmops.store import MetricRow

__all__ = ["block_metrics", "block_notes", "rows_of", "split_blocks"]

SHOWN = 5


def split_blocks(ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Set ``ctx.blocks`` and ``ctx.block_order``; rows without a block id are left out."""
    column = ctx.spec.data.block_column
    if column not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise DataValidationError(
            f"the batch has no block column '{column}' (data.block_column of this "
            f"{ctx.spec.kind} pipeline); its columns are: {shown}"
        )
    if len(features) != len(frame):
        raise DataValidationError(
            f"the preprocess hook returned {len(features):,} rows for {len(frame):,}: a "
            f"{ctx.spec.kind} pipeline needs one row out per row in, to keep the blocks"
        )
    present = frame[column].notna().to_numpy()
    if not present.any():
        raise DataValidationError(f"the block column '{column}' has no values")
    if not present.all():
        ctx.notes.append(f"{(~present).sum():,} rows without a '{column}' value were left out")
        features = features[present].reset_index(drop=True)
        if ctx.target is not None:
            ctx.target = ctx.target[present].reset_index(drop=True)
    ctx.blocks = as_text(frame.loc[present, column]).reset_index(drop=True)
    ctx.block_order = natural_order(ctx.blocks)
    counts = ctx.blocks.value_counts().reindex(ctx.block_order)
    ctx.block_section = BlocksSection(
        column, tuple(ctx.block_order), {b: int(n) for b, n in counts.items()}
    )
    return features


def rows_of(ctx: RunContext, block: str) -> np.ndarray:
    """Boolean mask of the rows of ``block``."""
    return (ctx.blocks == block).to_numpy()


def block_notes(ctx: RunContext, min_rows: int) -> None:
    """Notes about blocks too small to test or model, and labelled blocks with one class."""
    rows = ctx.block_section.rows
    small = [f"{b} ({n} row{'s' if n != 1 else ''})" for b, n in rows.items() if n < min_rows]
    if small:
        ctx.notes.append(
            f"{len(small)} block(s) with fewer than {min_rows} rows get no drift test and no "
            f"model of their own: {_listed(small)}"
        )
    if ctx.labelled:
        single = []
        for block in ctx.block_order:
            values = ctx.target[rows_of(ctx, block)].unique()
            if len(values) == 1:
                single.append(f"{block} (only {_plain(values[0])!r})")
        if single:
            ctx.notes.append(
                f"{len(single)} block(s) hold a single class; their balanced accuracy is the "
                f"recall of that class: {_listed(single)}"
            )


def block_metrics(
    ctx: RunContext, y_true: np.ndarray, y_pred: np.ndarray, scored: np.ndarray, version, proba=None
) -> dict[str, dict[str, float]]:
    """Metrics of each block's scored rows (``proba``: the probabilities of every row, if
    any); also queued as block-scoped metric rows."""
    out = {}
    for block in ctx.block_order:
        rows = rows_of(ctx, block) & scored
        if not rows.any():
            continue
        taken = None if proba is None else proba.take(np.flatnonzero(rows))
        metrics = measure(ctx, y_true[rows], y_pred[rows], taken)
        out[block] = {k: _finite(v) for k, v in metrics.items()}
        for name, value in metrics.items():
            if value == value:
                ctx.extra_metrics.append(MetricRow(name, value, version, "block", block))
    return out


def _listed(items: list[str]) -> str:
    extra = len(items) - SHOWN
    return ", ".join(items[:SHOWN]) + (f" and {extra} more" if extra > 0 else "")


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _finite(value: float) -> float | None:
    return None if value != value else float(value)
