"""Step ``load``: read the batch file (any supported format)."""

from __future__ import annotations

from calmops.io import read_table
from calmops.pipeline.context import RunContext


def load(ctx: RunContext) -> str:
    if ctx.frame is None:
        if ctx.source is None:
            raise ValueError("a run needs a file or a frame")
        ctx.frame = read_table(ctx.source)
    rows, columns = ctx.frame.shape
    return f"{rows:,} rows × {columns} columns"
