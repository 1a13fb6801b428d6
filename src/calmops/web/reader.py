"""What the dashboards read, and what they may keep: one object per app.

A :class:`Reader` wraps a :class:`~calmops.workspace.Workspace`. Run reports never change
once their run has finished, and reference profiles never change once written, so both are
kept in small bounded caches; everything else (runs, aliases, the breaker) is read from the
store on every request, so a page always shows the truth.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from calmops.pipeline.report import RunReport
from calmops.store import PipelineRecord, RunRecord
from calmops.workspace import PipelinePaths, Workspace

if TYPE_CHECKING:
    from calmops.drift.profile import Profile
    from calmops.models.registry import ModelRegistry

__all__ = ["BoundedCache", "Reader"]

T = TypeVar("T")


class BoundedCache:
    """A thread-safe least-recently-used cache of at most ``size`` entries.

    >>> cache = BoundedCache(2)
    >>> cache.get("a", lambda: 1), cache.get("b", lambda: 2), cache.get("c", lambda: 3)
    (1, 2, 3)
    >>> "a" in cache, cache.get("c", lambda: 0)
    (False, 3)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Reader:
    """Read-only access to a workspace for the dashboards, with bounded caches."""

    def __init__(self, workspace: Workspace, *, cache_size: int = 512) -> None:
        self.ws = workspace
        self._reports = BoundedCache(cache_size)
        self._derived = BoundedCache(64)
        self._frames = BoundedCache(2)  # batches are large: keep the last two only

    # ---- pipelines and runs --------------------------------------------------------------

    def pipelines(self) -> list[PipelineRecord]:
        return self.ws.list()

    def state(self, name: str) -> str:
        """The live state (a SIGKILLed monitor is ``failed``, not the ``running`` it left)."""
        from calmops.monitor.status import live_state

        return live_state(self.ws, name)

    def pipeline(self, name: str) -> PipelineRecord:
        """The pipeline ``name``; raises PipelineNotFoundError (a 404)."""
        return self.ws.get(name)

    def runs(self, name: str, limit: int = 200) -> list[RunRecord]:
        """The newest ``limit`` runs, newest first, without reports."""
        return self.ws.store.runs.list(name, limit=limit)

    def report(self, name: str, run: RunRecord) -> RunReport:
        """The full report of ``run`` (an empty one when it has none); cached once finished."""
        if run.status == "running":
            return self._read_report(name, run)
        return self._reports.get((name, run.id), lambda: self._read_report(name, run))

    def _read_report(self, name: str, run: RunRecord) -> RunReport:
        saved = self.ws.store.runs.get(name, run.id).report
        return RunReport.from_dict(
            saved or {"run_id": run.id, "pipeline": name, "status": run.status}
        )

    def reports(self, name: str, runs: list[RunRecord]) -> list[RunReport]:
        return [self.report(name, run) for run in runs]

    # ---- models ------------------------------------------------------------------------

    def registry(self, name: str) -> ModelRegistry:
        from calmops.models.registry import ModelRegistry

        return ModelRegistry(self.ws.store, name, self.ws.paths(name).artifacts.child("models"))

    def aliases(self, name: str) -> dict[str, int]:
        return self.ws.store.models.aliases(name)

    # ---- files -------------------------------------------------------------------------

    def paths(self, name: str) -> PipelinePaths:
        return self.ws.paths(name)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value computed from immutable inputs (a profile, a holdout, a scored batch)."""
        return self._derived.get(key, make)

    def frame(self, key: Hashable, make: Callable[[], T]) -> T:
        """A batch read from disk (only the last two are kept)."""
        return self._frames.get(key, make)

    def profile(self, name: str, version: int) -> Profile | None:
        """The reference profile of champion ``version`` (None when absent or unreadable)."""
        paths = self.paths(name)
        if paths.store is not None:  # an object store: downloaded once (a version's is fixed)

            def fetch():
                folder = paths.artifacts.folder(f"reference/v{version}")
                return None if folder is None else _profile(folder)

            return self.derived(("profile", name, version, "remote"), fetch)
        folder = paths.reference / f"v{version}"
        if not (folder / "profile.json").exists():
            return None
        return self.derived(
            ("profile", name, version, _mtime(folder / "profile.json")), lambda: _profile(folder)
        )


def _profile(folder: Path) -> Profile | None:
    from calmops.drift.profile import Profile
    from calmops.errors import DataValidationError

    try:
        return Profile.load(folder)
    except DataValidationError:
        return None


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
