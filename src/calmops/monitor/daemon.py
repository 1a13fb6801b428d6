"""Background monitors: start detached, stop with SIGTERM, restart.

``start`` launches ``python -m calmops --home HOME run NAME`` in a new session with no
terminal, its output appended to ``pipelines/<name>/logs/monitor.out``, and waits until the
monitor holds the pipeline's lock and has written its state (or has died, with the reason).
The pipeline lock is what makes a second monitor impossible; the pidfile is for people.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from calmops.errors import CalmopsError, PipelineBusyError
from calmops.monitor.service import check_monitorable
from calmops.monitor.state import clear_state, lock_holder, read_state
from calmops.workspace import Workspace

__all__ = ["MODE_ENV", "OUTPUT_FILE", "LifecycleResult", "start", "stop"]

MODE_ENV = "CALMOPS_MONITOR_MODE"
OUTPUT_FILE = "monitor.out"


@dataclass(frozen=True)
class LifecycleResult:
    """What ``start`` or ``stop`` did to one pipeline's monitor.

    ``status`` is one of ``started``, ``starting`` (still coming up when the wait ended),
    ``stopped``, ``killed``, ``not_running`` or ``still_running``.
    """

    name: str
    status: str
    pid: int | None = None
    message: str = ""


def start(workspace: Workspace, name: str, wait: float = 60.0) -> LifecycleResult:
    """Start the monitor of ``name`` in the background; raises if it is already running."""
    check_monitorable(workspace, name)
    paths = workspace.paths(name)
    holder = lock_holder(paths.root)
    if holder is not None:
        raise PipelineBusyError(
            f"pipeline '{name}' is already running (pid {holder}); "
            f"`calmops restart {name}` restarts it"
        )
    paths.logs.mkdir(parents=True, exist_ok=True)
    output = paths.logs / OUTPUT_FILE
    offset = output.stat().st_size if output.exists() else 0
    command = [sys.executable, "-m", "calmops", "--home", str(workspace.home.absolute())]
    with output.open("ab") as sink:
        process = subprocess.Popen(
            [*command, "run", name],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=workspace.home if workspace.home.is_dir() else None,
            env=os.environ | {MODE_ENV: "background", "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CalmopsError(
                f"the monitor of '{name}' exited at start: {_last_line(output, offset)} "
                f"(see {output})"
            )
        state = read_state(paths.root)
        if state is not None and state.pid == process.pid and lock_holder(paths.root):
            return LifecycleResult(name, "started", process.pid, state.trigger)
        time.sleep(0.05)
    return LifecycleResult(name, "starting", process.pid, "still starting; see `calmops status`")


def stop(
    workspace: Workspace, name: str, timeout: float = 120.0, force: bool = False
) -> LifecycleResult:
    """Stop the monitor of ``name`` with SIGTERM, letting it finish its current batch.

    After ``timeout`` seconds it is killed with SIGKILL if ``force`` (safe: the ledger hands
    the interrupted file to the next run), else left running with status ``still_running``.
    """
    workspace.get(name)
    paths = workspace.paths(name)
    holder = lock_holder(paths.root)
    if holder is None:
        if workspace.store.pipelines.get(name).state in ("running", "failed"):
            workspace.store.pipelines.update(name, state="stopped")
        clear_state(paths.root)
        return LifecycleResult(name, "not_running")
    state = read_state(paths.root)
    if state is None or state.pid != holder:
        raise PipelineBusyError(
            f"pipeline '{name}' is busy with a one-off run (pid {holder}), not a monitor; "
            "wait for it to finish"
        )
    _signal(holder, signal.SIGTERM)
    if _released(paths.root, timeout):
        return LifecycleResult(name, "stopped", holder)
    if not force:
        return LifecycleResult(
            name,
            "still_running",
            holder,
            f"still finishing its batch after {timeout:g}s; `calmops stop {name} --force` kills it",
        )
    _signal(holder, signal.SIGKILL)
    _released(paths.root, 30.0)
    workspace.store.pipelines.update(name, state="stopped")
    clear_state(paths.root)
    return LifecycleResult(name, "killed", holder, "killed; its file will run again at next start")


def _signal(pid: int, number: signal.Signals) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _released(root, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock_holder(root) is None:
            return True
        time.sleep(0.05)
    return lock_holder(root) is None


def _last_line(path, offset: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(offset, path.stat().st_size - 4096))
            text = handle.read().decode(errors="replace")
    except OSError:
        return "no output"
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else "no output"
