"""Tables for the evaluation tests: correlated numbers, labels, missing values, dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def mixed_table(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    """Two correlated numbers, an integer, a label tied to them, a boolean, a date, and
    10% missing in ``income``; ``shift`` moves ``x`` by that many standard deviations."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    income = 2 * x + rng.normal(scale=0.5, size=n) + 10
    frame = pd.DataFrame(
        {
            "x": x + shift,
            "income": np.where(rng.random(n) < 0.1, np.nan, income),
            "visits": rng.poisson(3, size=n),
            "segment": np.where(x + rng.normal(scale=0.5, size=n) > 0, "high", "low"),
            "member": rng.random(n) < 0.3,
            "joined": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
        }
    )
    return frame


def shuffle_columns(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every column permuted on its own: same marginals, relations between columns broken."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: frame[c].to_numpy()[rng.permutation(len(frame))] for c in frame})


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """train (2000 rows), an independent sample of the same law (2000), holdout (2000)."""
    return {
        "train": mixed_table(2000, 1),
        "independent": mixed_table(2000, 2),
        "holdout": mixed_table(2000, 3),
    }
