"""One pipeline inside a monitor: its trigger, settler, queue and the thread that runs batches.

The worker is the trigger's :class:`~calmops.monitor.triggers.TriggerSink`. Triggers and the
settler only queue work; batches run on the worker's own thread, one at a time, so nothing
is missed while a batch runs and two batches of one pipeline never overlap. The worker holds
the pipeline's lock (through its :class:`~calmops.pipeline.runner.Runner`) for its whole life.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from calmops.errors import DataFileError, PipelineBusyError, StoreUnavailableError
from calmops.monitor.folder import folder_problem
from calmops.monitor.queue import Wake, WakeQueue
from calmops.monitor.settle import Settler
from calmops.monitor.state import MonitorState, clear_state, write_state
from calmops.monitor.triggers import trigger_for
from calmops.pipeline.runner import BatchInfo, Runner, RunResult
from calmops.store import utcnow
from calmops.workspace import Workspace

__all__ = ["PipelineWorker", "ResultCallback"]

ResultCallback = Callable[[str, RunResult], None]

HEARTBEAT_SECONDS = 5.0
LOCK_RETRY_SECONDS = 1.0  # a `calmops status` probing the lock holds it for microseconds
STORE_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # waits while the store is away


class PipelineWorker:
    """Runs the batches of pipeline ``name`` as its trigger asks; see :meth:`open`.

    Parameters
    ----------
    workspace
        The workspace holding the pipeline.
    name
        The pipeline.
    mode
        ``foreground`` or ``background``, shown by ``calmops status``.
    on_result
        Called with the pipeline name and the result after each run that was not skipped.
    standby
        Wait as long as it takes for the pipeline's lease (held by a monitor on another host
        or Ray node) instead of failing, and take the pipeline over when that lease expires.
    """

    def __init__(
        self,
        workspace: Workspace,
        name: str,
        mode: str = "foreground",
        on_result: ResultCallback | None = None,
        standby: bool = False,
    ) -> None:
        self.workspace = workspace
        self.name = name
        self.mode = mode
        self.on_result = on_result
        self.standby = standby
        self.error: BaseException | None = None
        self.runs = 0
        self.failed = 0
        self.last: RunResult | None = None
        self._queue = WakeQueue()
        self._stopping = threading.Event()
        self._save_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._runner: Runner | None = None
        self._problem: str | None = None
        self._store_problem: str | None = None  # the store stopped answering
        self._store_failures = 0
        self._current: str | None = None
        self._started_at = utcnow().isoformat()

    # ---- life ----------------------------------------------------------------------------

    def open(self) -> PipelineWorker:
        """Take the pipeline's lease and lock, build its trigger; raises PipelineBusyError
        (a standby waits for the lease instead)."""
        self.spec = self.workspace.spec(self.name)
        self.paths = self.workspace.paths(self.name)
        self.folder = Path(self.spec.data.dir)
        self.settle = self.spec.trigger.settle_ms / 1000
        self.trigger = trigger_for(self.spec)
        self._settler = Settler(self.spec.trigger.settle_ms, self._queue.put_file)
        deadline = time.monotonic() + LOCK_RETRY_SECONDS
        while True:
            runner = Runner(
                self.workspace, self.name, lease_wait=float("inf") if self.standby else 0.0
            )
            try:
                self._runner = runner.__enter__()
                break
            except PipelineBusyError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        return self

    def start(self) -> None:
        """Start the worker thread, then the trigger (which queues the first scan)."""
        self.workspace.store.pipelines.update(self.name, state="running")
        self._thread = threading.Thread(
            target=self._loop, name=f"calmops-worker-{self.name}", daemon=True
        )
        self._thread.start()
        self._settler.start()
        self.note(
            "info",
            "monitor_started",
            f"monitor started (pid {os.getpid()}, {self.mode}): {self.trigger.describe()}",
        )
        self.trigger.start(self)
        self._save()

    def request_stop(self) -> None:
        """Ask the worker to stop after the batch it is running (queued work is left)."""
        self._stopping.set()
        self._queue.interrupt()

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self, timeout: float | None = None) -> None:
        """Stop the trigger, wait for the current batch, release the lock."""
        self.request_stop()
        self.trigger.stop()
        self._settler.stop()
        if self._thread is not None:
            self._thread.join(timeout)
        failed = self.error is not None
        state = "failed" if failed else "stopped"
        how = f"failed: {type(self.error).__name__}: {self.error}" if failed else "stopped"
        self.note("error" if failed else "info", "monitor_stopped", f"monitor {how}")
        self._record_state(state)
        clear_state(self.paths.root)
        if self._runner is not None:
            self._runner.__exit__(None, None, None)
            self._runner = None

    def abandon(self) -> None:
        """Give up without waiting for the batch (the process is exiting): say so, mark the
        pipeline stopped; the interrupted file is taken over by the next run."""
        if self._current is not None:
            self.note(
                "warning",
                "monitor_interrupted",
                f"monitor interrupted while running {self._current}; "
                "it runs again at the next start",
            )
        self._record_state("stopped")
        clear_state(self.paths.root)

    def _record_state(self, state: str) -> None:
        """Write the pipeline's state to the store; a store that is away does not stop the
        stop (``calmops status`` reads the lock, which is released anyway)."""
        try:
            self.workspace.store.pipelines.update(self.name, state=state)
        except StoreUnavailableError as error:
            self.note("warning", "store_unavailable", f"{error}; state '{state}' not recorded")

    # ---- TriggerSink ---------------------------------------------------------------------

    def file_changed(self, path: Path, complete: bool = False) -> None:
        self._settler.add(path, complete=complete)

    def scan(self, follow_young: bool = False) -> None:
        self._queue.put_scan(follow_young)

    def problem(self, message: str | None) -> None:
        if message == self._problem:
            return
        if message is None:
            self.note("info", "folder_back", f"data folder {self.folder} is available again")
        else:
            self.note("warning", "folder_problem", f"{message}; waiting for it to come back")
        self._problem = message
        self._save()

    def note(self, level: str, kind: str, message: str) -> None:
        with self._log_lock:
            if self._runner is not None and self._runner.log is not None:
                self._runner.log.event(level, kind, message)

    # ---- the worker thread ---------------------------------------------------------------

    def _loop(self) -> None:
        try:
            last_save = time.monotonic()
            while not self._stopping.is_set():
                wake = self._queue.get(timeout=1.0)
                if wake is not None:
                    self._handle_until_store_fails(wake)
                if wake is not None or time.monotonic() - last_save > HEARTBEAT_SECONDS:
                    self._save()
                    last_save = time.monotonic()
        except BaseException as error:  # the thread's boundary: the service re-raises it
            self.error = error

    def _handle_until_store_fails(self, wake: Wake) -> None:
        """Handle ``wake``; if the store stops answering, wait for it and scan again.

        The run under way when the store went away committed nothing; the scan after the
        wait finds its file pending and runs it again (taking over its claim).
        """
        try:
            self._handle(wake)
        except StoreUnavailableError as error:
            delay = STORE_RETRY_SECONDS[min(self._store_failures, len(STORE_RETRY_SECONDS) - 1)]
            self._store_failures += 1
            if self._store_problem is None:
                self.note("warning", "store_unavailable", f"{error}; waiting for it to come back")
            self._store_problem = f"the store is unreachable: {error}"
            self._save()
            if not self._stopping.wait(delay):
                self._queue.put_scan()
            return
        if self._store_problem is not None:
            self.note("info", "store_back", "the store answers again")
            self._store_problem = None
        self._store_failures = 0

    def _handle(self, wake: Wake) -> None:
        if wake.kind == "file":
            self._run(wake.path)
            return
        problem = folder_problem(self.folder)
        if problem is not None or self.trigger.name != "watch":
            self.problem(problem)  # a watch trigger's health check reports recovery itself
        if problem is not None:
            return
        ready = []
        for path in self._runner.pending():  # unreadable files are skipped and logged there
            if self._stopping.is_set():
                return
            if self._young(path):
                if wake.follow_young:
                    self._settler.add(path)
                continue
            if self.spec.data.chunk is None:
                self._run(path)
            else:
                ready.append(path)
        if ready:
            self._run_chunks(ready)

    def _run_chunks(self, paths: list[Path]) -> None:
        """``data.chunk``: the files' chunks, one run each; ``status`` names the chunk."""

        def on_batch(batch: BatchInfo) -> None:
            self._current = f"{batch.label} ({batch.index}/{batch.total}, {batch.rows:,} rows)"
            self._save()

        try:
            results = self._runner.run_files(paths, on_batch=on_batch)
        finally:
            self._current = None
        for result in results:
            self._count(result)

    def _run(self, path: Path) -> None:
        if not path.is_file():
            return
        if self.spec.data.chunk is not None:
            self._run_chunks([path])
            return
        self._current = str(path)
        self._save()
        try:
            result = self._runner.run_file(path)
        except FileNotFoundError:
            self.note("warning", "file_vanished", f"{path} disappeared before it could run")
            return
        except DataFileError as error:  # unreadable: it runs when it changes or at next start
            self.note("warning", "file_unreadable", f"{error}; skipped")
            return
        finally:
            self._current = None
        self._count(result)

    def _count(self, result: RunResult) -> None:
        if result.status != "skipped":
            self.runs += 1
            self.failed += result.status == "failed"
            self.last = result
            if self.on_result is not None:
                self.on_result(self.name, result)

    def _young(self, path: Path) -> bool:
        try:
            return time.time() - path.stat().st_mtime < self.settle
        except OSError:
            return False

    def _save(self) -> None:
        tick = self.trigger.next_tick()
        state = MonitorState(
            pid=os.getpid(),
            started_at=self._started_at,
            mode=self.mode,
            trigger=self.trigger.describe(),
            next_tick=None if tick is None else tick.isoformat(),
            problem=self._problem or self._store_problem,
            queued=len(self._queue),
            settling=self._settler.waiting(),
            current=self._current,
            runs=self.runs,
            failed=self.failed,
        )
        with self._save_lock:
            write_state(self.paths.root, state)
