"""A small patient table shared by the privacy tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

KEY = "0123456789abcdef-test-key"


@pytest.fixture
def patients() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 1000
    return pd.DataFrame(
        {
            "patient_id": [f"P{i:05d}" for i in range(n)],
            "age": rng.integers(1, 100, n),
            "sex": rng.choice(["f", "m"], n),
            "city": rng.choice(list("abcdef"), n),
            "visit_date": pd.date_range("2023-01-01", periods=n, freq="9h"),
            "income": rng.lognormal(10.5, 0.6, n).round(),
            "diagnosis": rng.choice(["flu", "cold", "asthma"], n),
            "zip": rng.integers(10000, 10100, n),
        }
    )


@pytest.fixture
def key_env(monkeypatch) -> str:
    monkeypatch.setenv("CALMOPS_PSEUDONYM_KEY", KEY)
    return KEY
