"""Real pipelines in a temporary workspace (SQLite), fed with real batch files (see
``tests/harness.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from tests.harness import Lab, linear_batches, sea_batches


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    """A workspace and a data folder, pipeline ``demo`` reading it once created."""
    return Lab(tmp_path)


@pytest.fixture
def make_lab() -> Callable[[Path], Lab]:
    """Another lab in a folder of the test's choosing."""
    return Lab


@pytest.fixture
def sea() -> Callable[..., list[pd.DataFrame]]:
    """``sea(n_batches, size=1000, drift_at=None, seed=1, noise=0.05, to=None)``."""
    return sea_batches


@pytest.fixture
def linear() -> Callable[..., list[pd.DataFrame]]:
    """``linear(n_batches, size=500, flip_at=None, seed=3)``: regression batches."""
    return linear_batches
