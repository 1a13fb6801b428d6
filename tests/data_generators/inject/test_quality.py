"""Data-quality operations: rates and mechanisms of missingness, outliers, duplicates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import RowRange, inject
from calmops.errors import SpecError


@pytest.fixture
def table():
    rng = np.random.default_rng(2)
    n = 20000
    a = rng.normal(0, 1, n)
    return pd.DataFrame(
        {
            "a": a,
            "b": rng.normal(0, 1, n),
            "n": rng.integers(0, 10, n),
            "s": rng.choice(["p", "q"], n),
            "flag": rng.random(n) < 0.5,
        }
    )


def test_mcar_hits_the_rate_and_ignores_values(table):
    out, record = inject(table, "missing", columns=["a", "n", "s", "flag"], rate=0.1, seed=0)
    for c in ("a", "n", "s", "flag"):
        assert out[c].isna().sum() == 2000
    gone = out["a"].isna()
    assert table["a"][gone].mean() == pytest.approx(0, abs=0.06)
    assert out["n"].dtype == np.float64 and str(out["flag"].dtype) == "boolean"


def test_mar_depends_on_another_column(table):
    out, _ = inject(table, "missing", columns="a", rate=0.2, mechanism="mar", by="b", seed=1)
    gone = out["a"].isna()
    assert gone.sum() == 4000
    assert table["b"][gone].mean() > 0.5  # missing where b is high
    assert table["a"][gone].mean() == pytest.approx(0, abs=0.05)  # not where a is high


def test_mnar_depends_on_the_value_itself(table):
    out, _ = inject(table, "missing", columns="a", rate=0.2, mechanism="mnar", seed=1)
    gone = out["a"].isna()
    assert gone.sum() == 4000
    assert table["a"][gone].mean() > 0.5
    assert out["a"].mean() < table["a"].mean() - 0.1  # observed values are biased low


def test_missing_only_in_the_selection(table):
    out, _ = inject(table, "missing", columns="a", rate=0.5, selector=RowRange(15000), seed=2)
    assert out["a"][:15000].isna().sum() == 0
    assert out["a"][15000:].isna().sum() == 2500


def test_outliers_sit_at_the_asked_robust_z(table):
    out, record = inject(table, "outliers", columns="a", rate=0.01, magnitude=6.0, seed=3)
    changed = out["a"] != table["a"]
    assert changed.sum() == 200
    med = table["a"].median()
    mad = 1.4826 * (table["a"] - med).abs().median()
    assert np.allclose(((out["a"][changed] - med) / mad).abs(), 6.0)


def test_duplicates_follow_their_originals(table):
    small = table.iloc[:1000].reset_index(drop=True)
    out, record = inject(small, "duplicates", rate=0.05, seed=4)
    assert len(out) == 1050
    event = record.events[0]
    copies = np.flatnonzero(event.weight == 1)
    assert len(copies) == 50
    assert (
        out.iloc[copies].reset_index(drop=True).equals(out.iloc[copies - 1].reset_index(drop=True))
    )


def test_sentinel_drop_and_rename(table):
    out, _ = inject(table, "sentinel", columns=["n", "s"], rate=0.05, value=-999, seed=5)
    assert (out["n"] == -999).sum() == 1000 and (out["s"] == "-999").sum() == 1000
    out, record = inject(table, "drop_column", columns="b")
    assert "b" not in out.columns and record.events[0].weight.min() == 1
    out, _ = inject(table, "rename_column", columns=["a", "b"], names=["alpha", "beta"])
    assert list(out.columns[:2]) == ["alpha", "beta"]


def test_quality_errors(table):
    with pytest.raises(SpecError, match="mar missingness needs by"):
        inject(table, "missing", columns="a", mechanism="mar")
    with pytest.raises(SpecError, match="mechanism must be one of"):
        inject(table, "missing", columns="a", mechanism="random")
    with pytest.raises(SpecError, match="one new name per column"):
        inject(table, "rename_column", columns="a")
    with pytest.raises(SpecError, match="already has that column"):
        inject(table, "rename_column", columns="a", names=["b"])
