"""What a pipeline's worker has to do next: settled files and folder scans, in arrival order.

Triggers put work here from their own threads and return at once; the worker takes it off
on its thread. A file already waiting is not queued twice, and scans collapse into one, so
schedule ticks missed while a batch runs are coalesced and nothing is lost.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Wake", "WakeQueue"]


@dataclass(frozen=True)
class Wake:
    """One piece of work: run a settled ``file``, or ``scan`` the folder for pending files.

    A scan with ``follow_young`` hands files that may still be written to the settler
    (watch triggers); without it they wait for the next scan (schedule triggers).
    """

    kind: str  # "file" | "scan"
    path: Path | None = None
    follow_young: bool = False


class WakeQueue:
    """A thread-safe FIFO of :class:`Wake` with duplicate files and scans coalesced.

    Examples
    --------
    >>> q = WakeQueue()
    >>> q.put_file(Path("a.csv")); q.put_file(Path("a.csv")); q.put_scan(); q.put_scan()
    >>> len(q)
    2
    >>> q.get(timeout=0).path.name, q.get(timeout=0).kind, q.get(timeout=0)
    ('a.csv', 'scan', None)
    """

    def __init__(self) -> None:
        self._items: deque[Wake] = deque()
        self._files: set[Path] = set()
        self._scan_queued = False
        self._ready = threading.Condition()

    def put_file(self, path: Path) -> None:
        """Queue a settled file unless it is already waiting."""
        with self._ready:
            if path in self._files:
                return
            self._files.add(path)
            self._items.append(Wake("file", path))
            self._ready.notify()

    def put_scan(self, follow_young: bool = False) -> None:
        """Queue a folder scan unless one is already waiting."""
        with self._ready:
            if self._scan_queued:
                return
            self._scan_queued = True
            self._items.append(Wake("scan", follow_young=follow_young))
            self._ready.notify()

    def get(self, timeout: float | None = None) -> Wake | None:
        """The next wake, or ``None`` if none came within ``timeout`` seconds."""
        with self._ready:
            if not self._items:
                self._ready.wait(timeout)
            if not self._items:
                return None
            wake = self._items.popleft()
            if wake.kind == "file":
                self._files.discard(wake.path)
            else:
                self._scan_queued = False
            return wake

    def interrupt(self) -> None:
        """Wake a waiting :meth:`get` (it returns ``None``)."""
        with self._ready:
            self._ready.notify_all()

    def __len__(self) -> int:
        with self._ready:
            return len(self._items)
