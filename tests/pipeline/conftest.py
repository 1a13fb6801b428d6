"""Real pipelines in a temporary workspace (SQLite), fed with real batch files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.pipeline.runner import Runner, RunResult
from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace


class Lab:
    """A workspace, a data folder and helpers to write batches and run them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / "incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.ws = Workspace(Settings(home=root / "home"))
        self._clock = 1_700_000_000

    def create(self, name: str = "demo", target: str | None = "target", **sections) -> PipelineSpec:
        data = {"dir": str(self.incoming)}
        if target:
            data["target"] = target
        data |= sections.pop("data", {})
        spec = PipelineSpec.from_dict({"name": name, "data": data, **sections})
        self.ws.create(spec)
        return spec

    def write(self, frame: pd.DataFrame, name: str | None = None, fmt: str = "csv") -> Path:
        """Write a batch file whose modification time orders it after the previous ones."""
        self._clock += 10
        path = self.incoming / (name or f"batch_{self._clock}.{fmt}")
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False)
        os.utime(path, (self._clock, self._clock))
        return path

    def write_bytes(self, content: bytes, name: str) -> Path:
        """Write raw bytes as the next batch file."""
        self._clock += 10
        path = self.incoming / name
        path.write_bytes(content)
        os.utime(path, (self._clock, self._clock))
        return path

    def run(self, name: str = "demo") -> list[RunResult]:
        with Runner(self.ws, name) as runner:
            return runner.run_pending()

    def run_file(self, path: Path, name: str = "demo") -> RunResult:
        with Runner(self.ws, name) as runner:
            return runner.run_file(path)


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return Lab(tmp_path)


@pytest.fixture
def make_lab() -> Callable[[Path], Lab]:
    """Another lab in a folder of the test's choosing."""
    return Lab


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


@pytest.fixture
def sea() -> Callable[..., list[pd.DataFrame]]:
    return sea_batches


@pytest.fixture
def linear() -> Callable[..., list[pd.DataFrame]]:
    return linear_batches
