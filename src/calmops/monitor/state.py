"""What a running monitor leaves on disk for others to read: pidfile, state file, lock.

``pipelines/<name>/monitor.pid`` holds the pid (for people and process managers) and
``pipelines/<name>/monitor.json`` what ``calmops status`` shows (trigger, next tick, folder
problem, queue). Whether a monitor really runs is decided by the pipeline lock, not by these
files: a process killed with SIGKILL leaves them behind, but the kernel releases its lock.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from calmops.store import utcnow

__all__ = ["MonitorState", "clear_state", "lock_holder", "read_state", "write_state"]

STATE_FILE = "monitor.json"
PID_FILE = "monitor.pid"


@dataclass(frozen=True)
class MonitorState:
    """A monitor's own account of itself, rewritten whenever something changes."""

    pid: int
    started_at: str
    mode: str  # foreground | background
    trigger: str
    next_tick: str | None = None
    problem: str | None = None
    queued: int = 0
    settling: int = 0
    current: str | None = None
    runs: int = 0
    failed: int = 0
    updated_at: str = field(default_factory=lambda: utcnow().isoformat())


def write_state(root: Path, state: MonitorState) -> None:
    """Save ``state`` (and the pidfile) under the pipeline folder ``root``, atomically."""
    _replace(root / STATE_FILE, json.dumps(asdict(state), indent=2))
    pidfile = root / PID_FILE
    if not pidfile.exists() or pidfile.read_text().strip() != str(state.pid):
        _replace(pidfile, f"{state.pid}\n")


def _replace(path: Path, text: str) -> None:
    """Readers see the old or the new file, never half of one (no fsync: a status file)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def read_state(root: Path) -> MonitorState | None:
    """The last saved state, or ``None`` if there is none (or it cannot be read).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> write_state(root, MonitorState(pid=42, started_at="2026-11-26T04:00:00+00:00",
    ...     mode="background", trigger="watch /in"))
    >>> read_state(root).pid, (root / "monitor.pid").read_text()
    (42, '42\\n')
    """
    try:
        data = json.loads((root / STATE_FILE).read_text())
        return MonitorState(**data)
    except (OSError, ValueError, TypeError):
        return None


def clear_state(root: Path) -> None:
    """Remove the pidfile (the state file stays, for the last known figures)."""
    (root / PID_FILE).unlink(missing_ok=True)


def lock_holder(root: Path) -> int | None:
    """The pid of the process holding the pipeline lock, or ``None`` if nobody does.

    The lock is probed with a shared, non-blocking ``flock`` that is released at once.

    Examples
    --------
    >>> import tempfile
    >>> from calmops.pipeline.lock import PipelineLock
    >>> root = Path(tempfile.mkdtemp())
    >>> lock_holder(root) is None
    True
    >>> with PipelineLock(root, "demo"):
    ...     lock_holder(root) == os.getpid()
    True
    """
    path = root / ".lock"
    if not path.exists():
        return None
    with path.open("r") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = handle.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
