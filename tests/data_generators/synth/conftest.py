"""A mixed real table for the synthesizers: every column kind, missing values, a target."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

N_REAL = 3000


def mixed_table(n: int = N_REAL, seed: int = 0) -> pd.DataFrame:
    """Numeric, integer, coded integer, boolean, categorical and datetime columns, with a
    binary target that depends on ``x``, ``z`` tied to ``x``, and missing values in
    ``income`` (10%) and ``city`` (5%)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = np.where(x + rng.normal(0, 0.7, n) > 0.6, "yes", "no")
    income = np.exp(rng.normal(10, 0.5, n))
    income[rng.random(n) < 0.10] = np.nan
    city = rng.choice(["lyon", "paris", "nice"], n, p=[0.5, 0.3, 0.2]).astype(object)
    city[rng.random(n) < 0.05] = None
    return pd.DataFrame(
        {
            "x": x,
            "z": 2 * x + rng.normal(0, 0.5, n),
            "income": income,
            "age": rng.integers(18, 90, n),
            "kids": rng.poisson(1.5, n),
            "smoker": rng.random(n) < 0.3,
            "city": city,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
            "y": y,
        }
    )


@pytest.fixture(scope="package")
def real() -> pd.DataFrame:
    return mixed_table()
