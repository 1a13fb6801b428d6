from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from calmops.drift import Profile, compare
from calmops.drift.sides import CategoricalSide, NumericSide
from calmops.errors import DataValidationError


def _frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": rng.integers(0, 50, n),
            "flag": rng.integers(0, 2, n),
            "city": pd.Series(rng.choice(["a", "b", "c"], n), dtype="str"),
            "when": pd.date_range("2024-01-01", periods=n, freq="min"),
        }
    )


def test_fit_summarises_each_kind():
    df = _frame(500)
    df.loc[:9, "x"] = np.nan
    profile = Profile.fit(df)
    kinds = {name: col.kind for name, col in profile.columns.items()}
    assert kinds == {"x": "numeric", "k": "numeric", "flag": "binary", "city": "categorical"}
    assert "when" in profile.skipped
    x = profile.columns["x"].side
    assert isinstance(x, NumericSide)
    assert (x.n, x.n_missing) == (490, 10) and profile.columns["x"].missing_rate == 0.02
    assert x.is_full and np.all(np.diff(x.sample) >= 0)
    assert x.mean == pytest.approx(df["x"].mean()) and x.std == pytest.approx(df["x"].std(ddof=0))
    assert x.counts.sum() == 490 and x.counts.size == x.edges.size + 1
    city = profile.columns["city"].side
    assert (
        isinstance(city, CategoricalSide) and city.as_dict() == df["city"].value_counts().to_dict()
    )
    assert profile.row_sample.shape == (500, 2) and profile.row_sample_columns == ("x", "k")


def test_the_sample_is_capped_seeded_and_uniform():
    df = pd.DataFrame({"x": np.arange(100_000.0)})
    a = Profile.fit(df, cap=1000, seed=1).columns["x"].side
    b = Profile.fit(df, cap=1000, seed=1).columns["x"].side
    c = Profile.fit(df, cap=1000, seed=2).columns["x"].side
    assert a.sample.size == 1000 and not a.is_full and a.n == 100_000
    assert np.array_equal(a.sample, b.sample) and not np.array_equal(a.sample, c.sample)
    assert a.sample.mean() == pytest.approx(50_000, rel=0.05)  # spread over the whole range
    assert a.counts.tolist() == [10_000] * 10  # bins use every value, not the sample


def test_save_load_round_trip_without_pickle(tmp_path):
    df = _frame(3000)
    df.loc[5, "x"] = np.inf
    profile = Profile.fit(df, cap=500)
    folder = profile.save(tmp_path / "ref")
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "profile.json"]
    meta = json.loads((folder / "profile.json").read_text())
    assert meta["schema_version"] == 2 and meta["format"] == "calmops.drift.profile"
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        assert all(npz[key].dtype != object for key in npz.files)
    back = Profile.load(folder)
    assert back.n_rows == profile.n_rows and back.skipped == profile.skipped
    for name, col in profile.columns.items():
        other = back.columns[name]
        assert (other.kind, other.dtype, other.n_rows) == (col.kind, col.dtype, col.n_rows)
        if isinstance(col.side, NumericSide):
            assert np.array_equal(other.side.sample, col.side.sample)
            assert np.array_equal(other.side.edges, col.side.edges)
            assert other.side.n_infinite == col.side.n_infinite
        else:
            assert other.side.as_dict() == col.side.as_dict()
    cur = _frame(2000, seed=1)
    assert compare(back, cur).to_dict() == compare(profile, cur).to_dict()


def test_load_rejects_what_is_not_a_profile(tmp_path):
    with pytest.raises(DataValidationError, match="not a readable drift profile"):
        Profile.load(tmp_path)
    (tmp_path / "profile.json").write_text('{"format": "other"}')
    np.savez(tmp_path / "arrays.npz", a=np.zeros(1))
    with pytest.raises(DataValidationError, match="schema version"):
        Profile.load(tmp_path)


def test_merge_of_partitions_equals_the_whole_below_the_cap():
    df = _frame(2000).drop(columns="when")
    whole = Profile.fit(df)
    merged = Profile.fit(df.iloc[:700]).merge(Profile.fit(df.iloc[700:]))
    assert merged.n_rows == 2000
    for name, col in whole.columns.items():
        a, b = col.side, merged.columns[name].side
        assert merged.columns[name].kind == col.kind
        if isinstance(a, NumericSide):
            assert np.array_equal(a.sample, b.sample)
            assert (b.n, b.min, b.max, b.n_unique) == (a.n, a.min, a.max, a.n_unique)
            assert b.mean == pytest.approx(a.mean) and b.std == pytest.approx(a.std)
            assert np.array_equal(a.edges, b.edges) and np.array_equal(a.counts, b.counts)
        else:
            assert a.as_dict() == b.as_dict()


def test_merge_above_the_cap_keeps_exact_moments_and_a_uniform_sample():
    rng = np.random.default_rng(3)
    left = pd.DataFrame({"x": rng.normal(0, 1, 40_000)})
    right = pd.DataFrame({"x": rng.normal(5, 1, 10_000)})
    merged = Profile.fit(left, cap=2000).merge(Profile.fit(right, cap=2000)).columns["x"].side
    both = pd.concat([left, right])["x"]
    assert merged.n == 50_000 and merged.sample.size == 2000
    assert merged.mean == pytest.approx(both.mean()) and merged.std == pytest.approx(
        both.std(ddof=0)
    )
    assert np.mean(merged.sample > 2.5) == pytest.approx(0.2, abs=0.03)  # 10k of 50k
    assert merged.counts.sum() == pytest.approx(50_000)


def test_merge_refuses_different_columns_or_kinds():
    a = Profile.fit(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    with pytest.raises(DataValidationError, match="same columns"):
        a.merge(Profile.fit(pd.DataFrame({"y": [1.0, 2.0, 3.0]})))
    with pytest.raises(DataValidationError, match="numeric in one profile and categorical"):
        a.merge(Profile.fit(pd.DataFrame({"x": ["a", "b", "c"]})))


def test_kinds_can_be_forced_and_are_validated():
    df = pd.DataFrame({"code": [1, 2, 3, 1, 2, 3]})
    assert Profile.fit(df, kinds={"code": "categorical"}).columns["code"].kind == "categorical"
    with pytest.raises(DataValidationError, match="choose from binary, categorical, numeric"):
        Profile.fit(df, kinds={"code": "ordinal"})


@pytest.mark.parametrize(
    "bad, message",
    [
        (pd.DataFrame(), "no rows"),
        (pd.DataFrame({"x": []}), "no rows"),
        ([1, 2, 3], "expected a pandas DataFrame"),
    ],
)
def test_fit_rejects_unusable_input(bad, message):
    with pytest.raises(DataValidationError, match=message):
        Profile.fit(bad)


def test_save_stages_under_a_unique_name(tmp_path):
    # a fixed staging name (arrays.npz.tmp) let two writers clobber each other's file
    stray = tmp_path / "arrays.npz.tmp"
    stray.write_bytes(b"another writer's half-written file")
    df = pd.DataFrame({"x": np.arange(50.0)})
    Profile.fit(df).save(tmp_path)
    Profile.fit(df * 2).save(tmp_path)
    assert stray.read_bytes() == b"another writer's half-written file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "arrays.npz", "arrays.npz.tmp", "profile.json",
    ]  # fmt: skip
    assert Profile.load(tmp_path).columns["x"].side.max == 98.0


def test_values_of_a_numeric_column_that_are_not_numbers_are_counted_merged_and_saved(tmp_path):
    values = pd.Series(["1.5", "2", "oops", None, "3.25", "?"], dtype=object)
    parts = [Profile.fit(pd.DataFrame({"x": values[i : i + 3]}), kinds={"x": "numeric"})
             for i in (0, 3)]  # fmt: skip
    whole = Profile.fit(pd.DataFrame({"x": values}), kinds={"x": "numeric"})
    merged = parts[0].merge(parts[1])
    assert whole.columns["x"].n_unparseable == merged.columns["x"].n_unparseable == 2
    assert Profile.load(merged.save(tmp_path / "p")).columns["x"].n_unparseable == 2
    assert Profile.fit(pd.DataFrame({"x": [1.0, None, 3.0]})).columns["x"].n_unparseable == 0
