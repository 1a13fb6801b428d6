"""The long-running monitor of one or several pipelines in one process.

``MonitorService(workspace, names).run()`` opens a :class:`PipelineWorker` per pipeline
(taking each pipeline's lock), starts their triggers and blocks until asked to stop: SIGINT
or SIGTERM (when run in the main thread), :meth:`stop` from another thread, or a worker that
died. Stopping lets each worker finish the batch it is running; queued files stay pending
and are picked up by the next start.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from calmops.errors import CalmopsError, PipelineBusyError, SpecError
from calmops.monitor.worker import PipelineWorker, ResultCallback
from calmops.workspace import Workspace

__all__ = ["MonitorService", "ServiceSummary", "check_monitorable"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class ServiceSummary:
    """What a monitor did: the pipelines it ran, those it could not, runs and failures."""

    pipelines: tuple[str, ...]
    skipped: dict[str, str] = field(default_factory=dict)
    runs: int = 0
    failed: int = 0
    stopped_by: str = "request"


def check_monitorable(workspace: Workspace, name: str) -> None:
    """Raise SpecError if pipeline ``name`` has nothing that would ever run it on its own."""
    if workspace.spec(name).trigger.type == "manual":
        raise SpecError(
            f"pipeline '{name}' has a manual trigger, so a monitor would never run it: "
            f"`calmops update {name} --set trigger.type=watch` (or schedule), "
            f"or run it now with `calmops run {name} --once`"
        )


class MonitorService:
    """Monitors ``names`` until stopped.

    Parameters
    ----------
    workspace
        The workspace holding the pipelines.
    names
        The pipelines to monitor.
    mode
        ``foreground`` or ``background`` (shown by ``calmops status``).
    on_ready
        Called with the names being monitored once every trigger has started.
    on_result
        Called with the pipeline name and :class:`RunResult` after each run (worker thread).
    on_stopping
        Called with the reason (``SIGINT``, ``request``...) when the service begins to stop.
    standby
        Wait for pipelines whose lease another host holds, taking each over when its lease
        expires (see :class:`~calmops.pipeline.lease.PipelineLease`).

    Examples
    --------
    >>> import tempfile, threading
    >>> from pathlib import Path
    >>> from calmops.data_generators import generate_stream
    >>> from calmops.settings import Settings
    >>> from calmops.spec import PipelineSpec
    >>> root = Path(tempfile.mkdtemp())
    >>> ws = Workspace(Settings(home=root / "home"))
    >>> _ = ws.create(PipelineSpec.from_dict({"name": "demo", "trigger": {"type": "watch"},
    ...     "data": {"dir": str(root / "in"), "target": "target"}}))
    >>> generate_stream("sea", 500, seed=1).data.to_csv(root / "in" / "a.csv", index=False)
    >>> done = threading.Event()
    >>> service = MonitorService(ws, ["demo"], on_result=lambda name, result: done.set())
    >>> worker = threading.Thread(target=lambda: print(service.run())); worker.start()
    >>> done.wait(60) and service.stop(); worker.join(60)
    ServiceSummary(pipelines=('demo',), skipped={}, runs=1, failed=0, stopped_by='request')
    """

    def __init__(
        self,
        workspace: Workspace,
        names: Iterable[str],
        mode: str = "foreground",
        on_ready: Callable[[list[str]], None] | None = None,
        on_result: ResultCallback | None = None,
        on_stopping: Callable[[str], None] | None = None,
        standby: bool = False,
    ) -> None:
        self.workspace = workspace
        self.names = list(names)
        self.mode = mode
        self.on_ready = on_ready
        self.on_result = on_result
        self.on_stopping = on_stopping
        self.standby = standby
        self.workers: list[PipelineWorker] = []
        self._stop = threading.Event()
        self._stopped_by = "request"

    def stop(self, reason: str = "request") -> None:
        """Ask the service to stop (thread-safe; also what the signal handlers do)."""
        self._stopped_by = reason
        self._stop.set()

    def run(self) -> ServiceSummary:
        """Monitor until stopped; raises the first error a worker died of.

        A pipeline already run by another process is skipped (and listed in the summary);
        if none can be monitored, its :class:`PipelineBusyError` is raised.
        """
        skipped: dict[str, str] = {}
        for name in self.names:
            check_monitorable(self.workspace, name)
            worker = PipelineWorker(
                self.workspace, name, self.mode, self.on_result, standby=self.standby
            )
            try:
                self.workers.append(worker.open())
            except PipelineBusyError as busy:
                if len(self.names) == 1:
                    raise
                skipped[name] = str(busy)
        if not self.workers:
            raise CalmopsError("no pipeline could be monitored: " + "; ".join(skipped.values()))
        previous = self._install_signals()
        try:
            for worker in self.workers:
                worker.start()
            if self.on_ready is not None:
                self.on_ready([w.name for w in self.workers])
            while not self._stop.wait(0.5):
                if any(not w.alive() for w in self.workers):
                    self.stop("worker error")
        finally:
            for worker in self.workers:
                worker.request_stop()
                worker.note(
                    "info",
                    "monitor_stopping",
                    f"stopping after the current batch ({self._stopped_by})",
                )
            if self.on_stopping is not None:
                self.on_stopping(self._stopped_by)
            try:
                for worker in self.workers:
                    worker.close()
            except KeyboardInterrupt:  # a second Ctrl-C: leave now, the ledger makes it safe
                for worker in self.workers:
                    worker.abandon()
                raise
            finally:
                self._restore_signals(previous)
        for worker in self.workers:
            if worker.error is not None:
                raise worker.error
        return ServiceSummary(
            pipelines=tuple(w.name for w in self.workers),
            skipped=skipped,
            runs=sum(w.runs for w in self.workers),
            failed=sum(w.failed for w in self.workers),
            stopped_by=self._stopped_by,
        )

    # ---- signals -------------------------------------------------------------------------

    def _install_signals(self) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}

        def handle(number: int, _frame) -> None:
            self.stop(signal.Signals(number).name)
            # a second Ctrl-C interrupts at once; the ledger makes that safe
            signal.signal(number, signal.default_int_handler)

        previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        for number in STOP_SIGNALS:
            signal.signal(number, handle)
        return previous

    @staticmethod
    def _restore_signals(previous: dict) -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)
