"""Progress of ``calmops run``: a bar on a terminal, periodic log lines elsewhere.

On a terminal a Rich bar shows the batch (file or chunk) of the pass and the step it is on,
with the rows of the batch. When stderr is not a terminal (a log file, CI), one line is
written when a batch starts, at most every ``every`` seconds (the first and the last batch
always), plus a line for a step that starts after ``every`` seconds of silence: enough to see
that a long run moves, without a line per step of every batch.
"""

from __future__ import annotations

import time
from typing import Any

from calmops.pipeline.runner import BatchInfo
from calmops.pipeline.steps import STEPS

__all__ = ["RunProgress"]


class RunProgress:
    """Callbacks for :meth:`calmops.pipeline.runner.Runner.run_files` that show progress.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> out = io.StringIO()
    >>> with RunProgress(Console(file=out), every=0) as shown:
    ...     shown.batch(BatchInfo("2026-01-05 → 2026-01-12", 1, 2, 168))
    >>> out.getvalue().strip()
    'run 1/2: 2026-01-05 → 2026-01-12 (168 rows)'
    """

    def __init__(self, console: Any, every: float = 5.0) -> None:
        self.console = console
        self.every = every
        self.terminal = bool(console.is_terminal)
        self._bar = None
        self._last_line = float("-inf")
        self._batch: BatchInfo | None = None

    def __enter__(self) -> RunProgress:
        if self.terminal:
            from calmops.cli.output import progress

            self._bar = progress().__enter__()
            self._batches = self._bar.add_task("batches", total=None)
            self._steps = self._bar.add_task("steps", total=len(STEPS))
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def batch(self, info: BatchInfo) -> None:
        """A batch (file or chunk) is about to run."""
        if self._batch is not None and self._bar is not None:
            self._bar.advance(self._batches)
        self._batch = info
        if self._bar is not None:
            self._bar.update(self._batches, total=info.total, description=self._describe(info))
            self._bar.reset(self._steps)
            return
        edge = info.index in (1, info.total)
        if edge or time.monotonic() - self._last_line >= self.every:
            self._line(f"run {info.index}/{info.total}: {info.label}{_rows(info.rows)}")

    def step(self, name: str, rows: int | None) -> None:
        """A step of the current batch is about to run (``rows``: the batch's, once loaded)."""
        if self._bar is not None:
            if rows is not None and self._batch is not None:
                self._bar.update(self._batches, description=self._describe(self._batch, rows))
            self._bar.update(self._steps, description=f"step {name}", advance=1)
            return
        if time.monotonic() - self._last_line >= self.every and self._batch is not None:
            where = f"{self._batch.index}/{self._batch.total} {self._batch.label}"
            self._line(f"run {where}{_rows(rows)}: step {name}")

    def _describe(self, info: BatchInfo, rows: int | None = None) -> str:
        return f"{info.label}{_rows(info.rows or rows)}"

    def _line(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)
        self._last_line = time.monotonic()


def _rows(rows: int | None) -> str:
    return "" if rows is None else f" ({rows:,} rows)"
