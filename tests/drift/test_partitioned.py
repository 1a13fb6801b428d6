"""Profiles of a partitioned Parquet dataset fitted slice by slice equal the whole-table
profile wherever merging is exact (counts, moments, ranges, categories, missing values)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.drift.partitioned import fit_parquet
from calmops.drift.profile import Profile
from calmops.errors import DataFileError


def write_dataset(folder: Path, parts: int = 4, rows: int = 2_500, seed: int = 0) -> pd.DataFrame:
    """A hive-partitioned dataset ``folder/month=K/part.parquet``; returns the whole table."""
    rng = np.random.default_rng(seed)
    frames = []
    for month in range(parts):
        frame = pd.DataFrame(
            {
                "x": rng.normal(month, 1.0, rows),
                "n": rng.integers(0, 50, rows).astype(float),
                "c": rng.choice(["red", "green", "blue"], rows),
                "flag": rng.choice(["yes", "no"], rows),
            }
        )
        frame.loc[rng.choice(rows, 25, replace=False), "x"] = np.nan
        (folder / f"month={month}").mkdir(parents=True)
        frame.to_parquet(folder / f"month={month}" / "part.parquet", index=False)
        frames.append(frame.assign(month=month))
    return pd.concat(frames, ignore_index=True)


def assert_exact_parts_equal(merged: Profile, whole: Profile) -> None:
    assert merged.n_rows == whole.n_rows
    assert set(merged.columns) == set(whole.columns)
    for name, column in whole.columns.items():
        got = merged.columns[name]
        assert got.kind == column.kind, name
        assert got.side.n_missing == column.side.n_missing, name
        if column.kind == "numeric":
            assert got.side.mean == pytest.approx(column.side.mean, rel=1e-9), name
            assert got.side.std == pytest.approx(column.side.std, rel=1e-9), name
            assert (got.side.min, got.side.max) == (column.side.min, column.side.max), name
        else:
            assert got.side.as_dict() == column.side.as_dict(), name


def test_slices_merge_to_the_whole_table_profile(tmp_path: Path) -> None:
    whole = write_dataset(tmp_path / "data")
    kinds = {"month": "categorical"}
    merged = fit_parquet(tmp_path / "data", batch_rows=700, kinds=kinds)
    assert_exact_parts_equal(merged, Profile.fit(whole, kinds=kinds))


def test_the_result_repeats_under_the_same_seed(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data")
    first = fit_parquet(tmp_path / "data", batch_rows=900, cap=1000, seed=3)
    again = fit_parquet(tmp_path / "data", batch_rows=900, cap=1000, seed=3)
    assert np.array_equal(first.columns["x"].side.sample, again.columns["x"].side.sample)


def test_columns_are_chosen_and_a_missing_dataset_is_a_clear_error(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", parts=2)
    assert set(fit_parquet(tmp_path / "data", columns=["x", "c"]).columns) == {"x", "c"}
    with pytest.raises(DataFileError, match="cannot read"):
        fit_parquet(tmp_path / "nowhere")
