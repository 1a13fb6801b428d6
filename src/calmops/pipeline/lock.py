"""One process at a time per pipeline: an exclusive lock on ``pipelines/<name>/.lock``."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from calmops.errors import PipelineBusyError

__all__ = ["PipelineLock"]


class PipelineLock:
    """Held while a process runs a pipeline; released on exit, even when the process dies."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / ".lock"
        self.name = name
        self._handle = None

    def __enter__(self) -> PipelineLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise PipelineBusyError(
                f"pipeline '{self.name}' is already running (pid {holder}); "
                f"wait for it, or stop it with `calmops stop {self.name}`"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
