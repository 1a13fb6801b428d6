"""Real monitors on real folders: a workspace, a data folder, and a service in a thread
(see ``tests/harness.py``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from tests.harness import Lab, sea_rows, wait_for

#: what every monitor test's pipeline starts from: a watched folder, a small tree
SITE = {
    "trigger": {"type": "watch", "settle_ms": 300, "poll_seconds": 0.2},
    "model": {
        "class": "sklearn.tree.DecisionTreeClassifier",
        "params": {"max_depth": 3, "random_state": 0},
    },
}


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
def site(tmp_path: Path) -> Lab:
    """A lab whose pipelines watch its folder (see ``SITE``), for monitors to run on."""
    return Lab(tmp_path, defaults=SITE)


@pytest.fixture
def sea() -> Callable[..., pd.DataFrame]:
    """SEA rows ``x0, x1, x2, target``: ``sea(rows, seed=1)``."""
    return sea_rows


@pytest.fixture(name="wait_for")
def _wait_for() -> Callable[..., object]:
    """``wait_for(condition, timeout=90, what="")``: poll until truthy (see the harness)."""
    return wait_for
