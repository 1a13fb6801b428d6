"""Step ``load``: read the batch file (any supported format), and make sure it is the
content the ledger claimed: a file rewritten (or still being written) while it was read is
refused, so the run never records one content under another's key."""

from __future__ import annotations

from calmops.errors import DataFileError
from calmops.io import read_table
from calmops.pipeline.context import RunContext


def load(ctx: RunContext) -> str:
    if ctx.frame is None:
        if ctx.source is None:
            raise ValueError("a run needs a file or a frame")
        ctx.frame = read_table(ctx.source)
        _check_unchanged(ctx)
    rows, columns = ctx.frame.shape
    return f"{rows:,} rows × {columns} columns"


def _check_unchanged(ctx: RunContext) -> None:
    """The file's size and modification time are still those of the claimed content."""
    claimed = ctx.file
    if claimed is None or claimed.mtime_ns is None or "#" in claimed.path:
        return  # a chunk of a file, or a key without a time: nothing to compare
    try:
        now = ctx.source.stat()
    except FileNotFoundError:
        return  # deleted after it was read in full: the rows read are the claimed ones
    if (now.st_size, now.st_mtime_ns) != (claimed.size, claimed.mtime_ns):
        raise DataFileError(
            ctx.source,
            "changed while it was being read (rewritten, or still being written): this run "
            "is dropped and the new content runs as a new batch once the file settles",
        )
