"""One way to build what a test needs: a workspace with pipelines, batch files, runs, results.

Every suite (pipeline, monitor, server, web) builds on :class:`Lab`::

    lab = Lab(tmp_path)                       # workspace in tmp_path/home
    lab.create(model=TREE)                    # pipeline "demo" reading tmp_path/incoming
    for frame in sea_batches(3, drift_at=2):  # SEA batches, concept change at batch 2
        lab.write(frame)                      # next batch file (ordered by modification time)
    results = lab.run()                       # run every pending file through the loop
    lab.runs()                                # finished runs, as the store has them

``lab.service()`` runs a monitor in a thread instead, ``lab.drop`` renames a file in (as a
careful writer does) and ``lab.wait_runs`` waits for the monitor's runs. The SEA helpers
give the same rows everywhere: :func:`sea_batches` (noise 0.05, an optional abrupt concept
change) and :func:`sea_rows` (one noiseless table).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace

if TYPE_CHECKING:
    from calmops.monitor.service import MonitorService
    from calmops.pipeline.runner import RunResult

__all__ = [
    "MERGED_SECTIONS",
    "TIMEOUT",
    "Lab",
    "linear_batches",
    "sea_batches",
    "sea_rows",
    "wait_for",
]

TIMEOUT = 90.0  # generous: a loaded 2-core machine may be slow, never wrong
CLOCK = 1_700_000_000  # modification time of the first batch file
#: spec sections whose given keys are laid over the lab's defaults (others replace them)
MERGED_SECTIONS = ("data", "trigger")


def wait_for(condition: Callable[[], Any], timeout: float = TIMEOUT, what: str = "") -> Any:
    """Poll ``condition`` until it is truthy and return its value; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what or condition}")


class Lab:
    """A workspace under ``root``, data folders, batch files, runs and their results.

    Parameters
    ----------
    root
        The lab's folder: the workspace is ``root/home``.
    defaults
        Spec sections every :meth:`create` starts from (``data`` and ``trigger`` given to
        ``create`` are laid over them key by key; other sections replace them).
    folder_per_pipeline
        Each pipeline reads its own folder ``root/in-<name>`` instead of the shared
        ``root/incoming``.
    db_url
        The store (default: SQLite in the workspace); ``tests/pg.py`` makes PostgreSQL ones.
    artifacts_url
        The artifact store (default: the workspace folder); ``tests/s3.py`` makes S3 ones.
    """

    def __init__(
        self,
        root: Path,
        *,
        defaults: dict[str, Any] | None = None,
        folder_per_pipeline: bool = False,
        clock: int = CLOCK,
        db_url: str | None = None,
        artifacts_url: str | None = None,
    ) -> None:
        self.root = root
        self.db_url = db_url
        self.artifacts_url = artifacts_url
        self.home = root / "home"
        self.defaults = dict(defaults or {})
        self.folder_per_pipeline = folder_per_pipeline
        self.clock = clock
        if not folder_per_pipeline:
            self.folder("demo").mkdir(parents=True, exist_ok=True)
        self.ws = Workspace(self.settings())

    # ---- the workspace ------------------------------------------------------------------

    def settings(self, api_key: str | None = None) -> Settings:
        return Settings(
            home=self.home, api_key=api_key, db_url=self.db_url, artifacts_url=self.artifacts_url
        )

    def workspace(self) -> Workspace:
        """A new Workspace on the lab's home (its own store connection)."""
        return Workspace(self.settings())

    def folder(self, pipeline: str = "demo") -> Path:
        """The data folder of ``pipeline``."""
        if self.folder_per_pipeline:
            return self.root / f"in-{pipeline}"
        return self.root / "incoming"

    @property
    def incoming(self) -> Path:
        """The data folder of pipeline ``demo`` (the shared one unless per pipeline)."""
        return self.folder("demo")

    def create(self, name: str = "demo", target: str | None = "target", **sections) -> PipelineSpec:
        """Create pipeline ``name`` reading :meth:`folder` (``target=None``: unlabelled)."""
        folder = self.folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        spec = {k: v for k, v in self.defaults.items()}
        for key, value in sections.items():
            if key in MERGED_SECTIONS and isinstance(value, dict):
                value = {**spec.get(key, {}), **value}
            spec[key] = value
        data = {"dir": str(folder)} | ({"target": target} if target else {})
        spec["data"] = data | spec.get("data", {})
        created = PipelineSpec.from_dict({"name": name, **spec})
        self.ws.create(created)
        return created

    def copy(self, root: Path) -> Lab:
        """A private copy of this lab under ``root``, its pipelines reading the copy's
        folders."""
        shutil.copytree(self.root, root)
        copy = Lab(
            root,
            defaults=self.defaults,
            folder_per_pipeline=self.folder_per_pipeline,
            clock=self.clock,
        )
        for record in copy.ws.list():
            copy.ws.update(record.name, {"data.dir": str(copy.folder(record.name))})
        return copy

    # ---- batch files --------------------------------------------------------------------

    def write(
        self, frame: pd.DataFrame, name: str | None = None, fmt: str = "csv", *, pipeline="demo"
    ) -> Path:
        """Write a batch file whose modification time orders it after the previous ones."""
        self.clock += 10
        path = self.folder(pipeline) / (name or f"batch_{self.clock}.{fmt}")
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False)
        os.utime(path, (self.clock, self.clock))
        return path

    def write_bytes(self, content: bytes, name: str, *, pipeline: str = "demo") -> Path:
        """Write raw bytes as the next batch file."""
        self.clock += 10
        path = self.folder(pipeline) / name
        path.write_bytes(content)
        os.utime(path, (self.clock, self.clock))
        return path

    def drop(self, frame: pd.DataFrame, name: str, folder: Path | None = None) -> Path:
        """Write under a temporary name, then rename into the folder (what careful writers do)."""
        folder = folder or self.incoming
        part = folder / f".{name}.part"
        frame.to_csv(part, index=False)
        final = folder / name
        os.replace(part, final)
        return final

    # ---- runs ---------------------------------------------------------------------------

    def run(self, name: str = "demo") -> list[RunResult]:
        """Run every pending file of ``name`` through the loop, in order."""
        from calmops.pipeline.runner import Runner

        with Runner(self.ws, name) as runner:
            return runner.run_pending()

    def run_file(self, path: Path, name: str = "demo") -> RunResult:
        from calmops.pipeline.runner import Runner

        with Runner(self.ws, name) as runner:
            return runner.run_file(path)

    def runs(self, name: str = "demo") -> list:
        """The finished runs of ``name`` in the store, newest first."""
        return [r for r in self.ws.store.runs.list(name, limit=10_000) if r.status != "running"]

    def by_file(self, name: str = "demo") -> dict[str, list[str]]:
        """The statuses of the finished runs of each file name."""
        found: dict[str, list[str]] = {}
        for run in self.runs(name):
            found.setdefault(Path(run.source).name, []).append(run.status)
        return found

    def wait_runs(self, count: int, name: str = "demo", timeout: float = TIMEOUT) -> list:
        """Wait for at least ``count`` finished runs of ``name``; returns them."""
        return wait_for(
            lambda: (runs := self.runs(name)) and len(runs) >= count and runs,
            timeout,
            f"{count} finished runs of {name}",
        )

    @contextmanager
    def service(self, *names: str) -> Iterator[MonitorService]:
        """A monitor of ``names`` running in a thread for the duration of the block."""
        from calmops.monitor.service import MonitorService

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


# ---- batches --------------------------------------------------------------------------


def sea_batches(
    n_batches: int,
    size: int = 1000,
    drift_at: int | None = None,
    seed: int = 1,
    noise: float = 0.05,
    to: dict | None = None,
) -> list[pd.DataFrame]:
    """SEA batches; from batch ``drift_at`` on the concept is ``to`` (default variant 3)."""
    from calmops.data_generators import generate_stream
    from calmops.data_generators.streams.schedule import abrupt

    schedule = None if drift_at is None else abrupt(drift_at * size, to=to or {"variant": 3})
    frame = generate_stream(
        "sea", n_batches * size, seed=seed, schedule=schedule, params={"noise": noise}
    ).data
    return [frame.iloc[i * size : (i + 1) * size].reset_index(drop=True) for i in range(n_batches)]


def sea_rows(rows: int, seed: int = 1) -> pd.DataFrame:
    """``rows`` noiseless SEA rows ``x0, x1, x2, target`` (one concept)."""
    return sea_batches(1, rows, seed=seed, noise=0.0)[0]


def linear_batches(
    n_batches: int, size: int = 500, flip_at: int | None = None, seed: int = 3
) -> list[pd.DataFrame]:
    """Regression batches: y = 3 x1 - 2 x2 + noise, with the sign of x1 flipped from ``flip_at``."""
    rng = np.random.default_rng(seed)
    batches = []
    for i in range(n_batches):
        x1, x2 = rng.normal(size=size), rng.normal(size=size)
        slope = -3.0 if flip_at is not None and i >= flip_at else 3.0
        y = slope * x1 - 2.0 * x2 + rng.normal(0, 0.3, size)
        batches.append(pd.DataFrame({"x1": x1, "x2": x2, "target": y}))
    return batches
