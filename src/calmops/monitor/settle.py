"""Hold back files that are still being written until their size and mtime stop changing."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settler"]


@dataclass
class _Watched:
    size: int
    mtime_ns: int
    changed_at: float  # monotonic time of the last change seen


class Settler:
    """Calls ``ready(path)`` once a file has kept its size and mtime for ``settle_ms``.

    A file is stable when no change was seen for ``settle_ms``; a file first seen with an
    mtime already older than that is stable at once. A file renamed into the folder is
    complete by construction (the writer finished under a temporary name), so
    :meth:`add` with ``complete=True`` skips the wait. Files that vanish are dropped.
    ``ready`` runs on the settler's own thread and must be quick (it only queues).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> ready = []
    >>> settler = Settler(50, ready.append)
    >>> old = folder / "old.csv"; _ = old.write_text("a\\n1\\n"); os.utime(old, (0, 0))
    >>> settler.add(old)
    >>> settler.check() and [p.name for p in ready]
    ['old.csv']
    """

    def __init__(self, settle_ms: int, ready: Callable[[Path], None]) -> None:
        self.settle = settle_ms / 1000
        self.ready = ready
        self._files: dict[Path, _Watched] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, path: Path, complete: bool = False) -> None:
        """Start watching ``path`` (or hand it over at once when ``complete``)."""
        if complete:
            with self._lock:
                self._files.pop(path, None)
            self.ready(path)
            return
        with self._lock:
            if path not in self._files:
                self._files[path] = _Watched(-1, -1, time.monotonic())
        self._wake.set()

    def waiting(self) -> int:
        """How many files are still settling."""
        with self._lock:
            return len(self._files)

    def check(self) -> bool:
        """Look at every waiting file once; hand over the stable ones. True if any was."""
        now, wall = time.monotonic(), time.time_ns()
        done = []
        with self._lock:
            for path, seen in list(self._files.items()):
                try:
                    stat = os.stat(path)
                except OSError:
                    del self._files[path]
                    continue
                if (stat.st_size, stat.st_mtime_ns) != (seen.size, seen.mtime_ns):
                    old_enough = wall - stat.st_mtime_ns >= self.settle * 1e9
                    first = seen.size < 0
                    seen.size, seen.mtime_ns = stat.st_size, stat.st_mtime_ns
                    seen.changed_at = float("-inf") if first and old_enough else now
                if now - seen.changed_at >= self.settle:
                    del self._files[path]
                    done.append((stat.st_mtime_ns, path))
        for _, path in sorted(done):
            self.ready(path)
        return bool(done)

    # ---- thread ------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="calmops-settler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        step = min(max(self.settle / 5, 0.02), 0.25)
        while not self._stop.is_set():
            self._wake.clear()
            if self.waiting():
                self.check()
                self._stop.wait(step)
            else:
                self._wake.wait(1.0)
