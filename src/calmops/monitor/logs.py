"""Reading a pipeline's text log: the last records, filtered by level and text, or followed.

A record starts with a timestamp and a level (``2026-11-26T04:41:30+0000 INFO ...``); lines
that do not (a traceback) belong to the record above them.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from calmops.errors import SpecError

__all__ = ["LEVELS", "filter_records", "follow", "records", "tail"]

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_START = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*\s+(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s")


def records(lines: Iterable[str]) -> Iterator[str]:
    """Group raw lines into records (a record with its continuation lines).

    Examples
    --------
    >>> list(records(["2026-11-26T04:41:30+0000 ERROR boom", "Traceback", "x"]))
    ['2026-11-26T04:41:30+0000 ERROR boom\\nTraceback\\nx']
    """
    current: list[str] = []
    for line in lines:
        line = line.rstrip("\n")
        if _START.match(line) and current:
            yield "\n".join(current)
            current = []
        current.append(line)
    if current:
        yield "\n".join(current)


def filter_records(
    items: Iterable[str], level: str | None = None, grep: str | None = None
) -> Iterator[str]:
    """Records at ``level`` or above that contain ``grep`` (case-insensitive).

    Examples
    --------
    >>> logs = ["t0 INFO started", "t1 WARNING folder gone", "t2 ERROR run failed"]
    >>> logs = [line.replace("t", "2026-11-26T04:41:3") for line in logs]
    >>> [r.split(" ", 1)[1] for r in filter_records(logs, level="warning", grep="RUN")]
    ['ERROR run failed']
    """
    floor = _level_index(level) if level else 0
    needle = grep.lower() if grep else None
    for record in items:
        match = _START.match(record)
        rank = LEVELS.index(match.group(1)) if match else 0
        if rank >= floor and (needle is None or needle in record.lower()):
            yield record


def tail(
    path: Path, last: int | None = 20, level: str | None = None, grep: str | None = None
) -> list[str]:
    """The last ``last`` matching records of the log at ``path`` (all of them if ``None``)."""
    if level:
        _level_index(level)
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        matching = filter_records(records(handle), level, grep)
        return list(deque(matching, maxlen=last) if last else matching)


def follow(
    path: Path,
    level: str | None = None,
    grep: str | None = None,
    stop: threading.Event | None = None,
    poll: float = 0.25,
) -> Iterator[str]:
    """Matching records written to ``path`` after this call, until ``stop`` is set.

    Survives rotation (the file replaced or truncated) and a log that does not exist yet.
    A record is yielded once the next one starts or the file has been quiet for ``poll``.
    """
    if level:
        _level_index(level)  # a bad level fails now, not at the first record
    start = (_identity(path), path.stat().st_size if path.exists() else 0)
    return _follow(path, level, grep, stop or threading.Event(), poll, start)


def _follow(path, level, grep, stop, poll, start) -> Iterator[str]:
    handle, identity = None, None
    pending: list[str] = []
    while not stop.is_set():
        if handle is None and path.exists():
            handle = path.open(encoding="utf-8", errors="replace")
            identity = _identity(path)
            if identity == start[0]:
                handle.seek(start[1])
            start = (None, 0)
        line = handle.readline() if handle is not None else ""
        if line:
            if _START.match(line) and pending:
                yield from filter_records(["".join(pending).rstrip("\n")], level, grep)
                pending = []
            pending.append(line)
            continue
        if pending:
            yield from filter_records(["".join(pending).rstrip("\n")], level, grep)
            pending = []
        if handle is not None and (_identity(path) != identity or _shrunk(handle, path)):
            handle.close()
            handle = None  # rotated: read the new file from its start
        stop.wait(poll)
    if handle is not None:
        handle.close()


def _level_index(level: str) -> int:
    name = level.upper()
    if name == "WARN":
        name = "WARNING"
    if name not in LEVELS:
        raise SpecError(f"no log level {level!r}; choose from {', '.join(LEVELS).lower()}")
    return LEVELS.index(name)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _shrunk(handle, path: Path) -> bool:
    try:
        return path.stat().st_size < handle.tell()
    except OSError:
        return True
