"""The watch trigger: OS file events on the data folder, with polling when they fail.

The watchdog observer's thread only forwards names; settling (is the file complete?) and
running happen elsewhere. Files renamed into the folder are complete at once; files created
or modified in place settle first. A health check every ``trigger.poll_seconds`` notices a
folder that disappears, becomes unreadable or is replaced, reports it, and re-arms the
observer and rescans the folder once it is back.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from calmops.monitor.folder import folder_problem, is_data_name
from calmops.monitor.triggers.base import Trigger, TriggerSink

__all__ = ["WatchTrigger"]

# watchdog event types that may mean "a data file has new content" (or became readable)
_CONTENT_EVENTS = ("created", "modified", "closed", "moved", "attrib")


class WatchTrigger(Trigger):
    """Reports new and changed data files of ``data.dir`` as they appear.

    Examples
    --------
    >>> from calmops.spec import PipelineSpec
    >>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "/srv/in"},
    ...     "trigger": {"type": "watch", "polling": True, "poll_seconds": 5}})
    >>> WatchTrigger(spec).describe()
    'watch /srv/in (polling every 5s, settle 1000 ms)'
    """

    name = "watch"

    def __init__(self, spec) -> None:
        super().__init__(spec)
        self.folder = Path(spec.data.dir)
        self.mode = "polling" if spec.trigger.polling else "events"
        self._sink: TriggerSink | None = None
        self._observer: Any = None
        self._identity: tuple[int, int] | None = None
        self._problem: str | None = None
        self._stop = threading.Event()
        self._health: threading.Thread | None = None

    def start(self, sink: TriggerSink) -> None:
        self._sink = sink
        self._problem = folder_problem(self.folder)
        if self._problem is None:
            self._arm()
        else:
            sink.problem(self._problem)
        sink.scan(follow_young=True)
        self._health = threading.Thread(
            target=self._check_forever, name=f"calmops-health-{self.spec.name}", daemon=True
        )
        self._health.start()

    def stop(self) -> None:
        self._stop.set()
        if self._health is not None:
            self._health.join(timeout=10)  # so it cannot re-arm what is disarmed next
        self._disarm()

    def describe(self) -> str:
        every = f"{self.spec.trigger.poll_seconds:g}s"
        how = f"polling every {every}" if self.mode == "polling" else "OS events"
        return f"watch {self.folder} ({how}, settle {self.spec.trigger.settle_ms} ms)"

    # ---- observer ----------------------------------------------------------------------

    def _arm(self) -> None:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        recursive = self.spec.data.recursive
        handler = _Forward(self)
        if self.mode == "events":
            observer = Observer()
            try:
                observer.schedule(handler, str(self.folder), recursive=recursive)
                observer.start()
            except OSError as error:
                self.mode = "polling"
                self._sink.note(
                    "warning",
                    "polling_fallback",
                    f"OS file events unavailable for {self.folder} ({error}); polling every "
                    f"{self.spec.trigger.poll_seconds:g}s instead",
                )
            else:
                self._observer = observer
        if self.mode == "polling":
            observer = PollingObserver(timeout=self.spec.trigger.poll_seconds)
            observer.schedule(handler, str(self.folder), recursive=recursive)
            observer.start()
            self._observer = observer
        self._identity = _identity(self.folder)

    def _disarm(self) -> None:
        observer, self._observer = self._observer, None
        if observer is None:
            return
        try:
            observer.stop()
            observer.join(timeout=5)
        except (OSError, KeyError, RuntimeError):  # the watched folder is already gone
            pass

    def _forward(self, event: Any) -> None:
        if event.is_directory or event.event_type not in _CONTENT_EVENTS:
            return
        moved = event.event_type == "moved"
        path = Path(os.fsdecode(event.dest_path if moved else event.src_path))
        if not self.spec.data.recursive and path.parent != self.folder:
            return
        if is_data_name(path.name, self.spec.data.patterns):
            self._sink.file_changed(path, complete=moved)

    # ---- health ------------------------------------------------------------------------

    def _check_forever(self) -> None:
        while not self._stop.wait(self.spec.trigger.poll_seconds):
            self.check()

    def check(self) -> None:
        """Look at the folder once: report a problem, or recover from one."""
        problem = folder_problem(self.folder)
        if problem is not None:
            if problem != self._problem:
                self._disarm()
                self._problem = problem
                self._sink.problem(problem)
            return
        replaced = self._identity is not None and _identity(self.folder) != self._identity
        dead = self._observer is not None and not self._observer.is_alive()
        if self._problem is not None or replaced or dead or self._observer is None:
            self._disarm()
            self._arm()
            self._problem = None
            self._sink.problem(None)
            self._sink.scan(follow_young=True)


class _Forward:
    """A watchdog event handler that forwards to the trigger (duck-typed, no import)."""

    def __init__(self, trigger: WatchTrigger) -> None:
        self.trigger = trigger

    def dispatch(self, event: Any) -> None:
        self.trigger._forward(event)


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
