"""Real monitors on real folders: a workspace, a data folder, and a service in a thread."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from calmops.monitor.service import MonitorService
from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace

TIMEOUT = 90.0  # generous: a loaded 2-core machine may be slow, never wrong


def wait_for(condition: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> object:
    """Poll ``condition`` until it is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what or condition}")


class Site:
    """A workspace with one data folder, batches to drop into it, and store queries."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / "incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.home = root / "home"
        self.ws = Workspace(Settings(home=self.home))

    def create(self, name: str = "demo", trigger: dict | None = None, **sections) -> str:
        data = {"dir": str(self.incoming), "target": "target"} | sections.pop("data", {})
        trigger = {"type": "watch", "settle_ms": 300, "poll_seconds": 0.2} | (trigger or {})
        spec = {"name": name, "data": data, "trigger": trigger}
        spec.setdefault(
            "model",
            {
                "class": "sklearn.tree.DecisionTreeClassifier",
                "params": {"max_depth": 3, "random_state": 0},
            },
        )
        self.ws.create(PipelineSpec.from_dict(spec | sections))
        return name

    def drop(self, frame: pd.DataFrame, name: str, folder: Path | None = None) -> Path:
        """Write under a temporary name, then rename into the folder (what careful writers do)."""
        folder = folder or self.incoming
        part = folder / f".{name}.part"
        frame.to_csv(part, index=False)
        final = folder / name
        os.replace(part, final)
        return final

    def runs(self, name: str = "demo") -> list:
        return [r for r in self.ws.store.runs.list(name, limit=10_000) if r.status != "running"]

    def by_file(self, name: str = "demo") -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for run in self.runs(name):
            found.setdefault(Path(run.source).name, []).append(run.status)
        return found

    def wait_runs(self, count: int, name: str = "demo", timeout: float = TIMEOUT) -> list:
        return wait_for(
            lambda: (runs := self.runs(name)) and len(runs) >= count and runs,
            timeout,
            f"{count} finished runs of {name}",
        )

    @contextmanager
    def service(self, *names: str) -> Iterator[MonitorService]:
        """A monitor of ``names`` running in a thread for the duration of the block."""
        service = MonitorService(self.ws, names or ["demo"])
        errors: list[BaseException] = []
        ready = threading.Event()
        service.on_ready = lambda _names: ready.set()

        def run() -> None:
            try:
                service.run()
            except BaseException as error:  # reported to the test below
                errors.append(error)
                ready.set()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert ready.wait(TIMEOUT), "the monitor did not start"
        if errors:
            raise errors[0]
        try:
            yield service
        finally:
            service.stop()
            thread.join(TIMEOUT)
            assert not thread.is_alive(), "the monitor did not stop"
        if errors:
            raise errors[0]


def sea(rows: int, seed: int = 1) -> pd.DataFrame:
    from calmops.data_generators import generate_stream

    return generate_stream("sea", rows, seed=seed).data


def calmops(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the real ``calmops`` executable."""
    return subprocess.run(
        [sys.executable, "-m", "calmops", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


class Recorder:
    """A TriggerSink that writes down what a trigger told it (thread-safe)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self._lock = threading.Lock()

    def _add(self, *call) -> None:
        with self._lock:
            self.calls.append(call)

    def file_changed(self, path: Path, complete: bool = False) -> None:
        self._add("file", Path(path).name, complete)

    def scan(self, follow_young: bool = False) -> None:
        self._add("scan", follow_young)

    def problem(self, message: str | None) -> None:
        self._add("problem", message)

    def note(self, level: str, kind: str, message: str) -> None:
        self._add("note", level, kind)

    def of(self, kind: str) -> list[tuple]:
        with self._lock:
            return [call[1:] for call in self.calls if call[0] == kind]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture(name="sea")
def _sea() -> Callable[..., pd.DataFrame]:
    """SEA rows ``x0, x1, x2, target``: ``sea(rows, seed=1)``."""
    return sea


@pytest.fixture(name="wait_for")
def _wait_for() -> Callable[..., object]:
    return wait_for
