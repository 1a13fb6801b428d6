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


def _state_sizes(profile: Profile) -> dict[str, int]:
    """Bytes of every array a profile keeps (samples, bins, categories, row sample)."""
    sizes = {"row_sample": profile.row_sample.nbytes}
    for name, column in profile.columns.items():
        side = column.side
        arrays = (side.sample, side.edges, side.counts) if column.kind == "numeric" else ()
        arrays = arrays or (side.categories, side.counts)
        sizes[name] = sum(a.nbytes for a in arrays)
    return sizes


def test_the_merged_state_does_not_grow_with_the_number_of_slices(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", parts=4, rows=2_500)
    options = {"cap": 400, "row_sample": 150}
    few = fit_parquet(tmp_path / "data", batch_rows=2_500, **options)  # 4 slices
    many = fit_parquet(tmp_path / "data", batch_rows=50, **options)  # 200 slices
    assert few.n_rows == many.n_rows == 10_000
    assert _state_sizes(many) == _state_sizes(few)
    for profile in (few, many):
        assert profile.row_sample.shape == (150, 3)  # x, n and month (numbers)
        assert profile.columns["x"].side.sample.size == 400
        assert profile.columns["n"].side.counts.size <= profile.bins


def test_the_reader_holds_no_slice_between_slices(tmp_path: Path) -> None:
    import pyarrow as pa

    from calmops.drift.partitioned import _slices

    write_dataset(tmp_path / "data", parts=2, rows=2_500)
    slices = _slices(tmp_path / "data", None, 1_000)
    sizes = [len(frame) for frame in slices if _no_slice_held(slices, pa)]
    assert sizes == [1_000, 1_000, 500] * 2  # file by file, in slices of at most batch_rows


def _no_slice_held(slices, pa) -> bool:
    held = [v for v in slices.gi_frame.f_locals.values() if isinstance(v, pa.RecordBatch)]
    held += [v for v in slices.gi_frame.f_locals.values() if isinstance(v, pd.DataFrame)]
    assert not held, "the reader keeps a slice alive while the caller fits the previous one"
    return True


def test_given_edges_are_kept_through_merges_with_exact_counts(tmp_path: Path) -> None:
    whole = write_dataset(tmp_path / "data", parts=3, rows=2_000)
    edges = {"x": np.array([-1.0, 0.5, 1.0, 2.5])}
    fitted = fit_parquet(tmp_path / "data", batch_rows=300, cap=500, edges=edges)
    side = fitted.columns["x"].side
    assert fitted.fixed_edges and np.array_equal(side.edges, edges["x"])
    expected = np.histogram(whole["x"].dropna(), np.r_[-np.inf, edges["x"], np.inf])[0]
    assert side.counts.tolist() == expected.tolist()
