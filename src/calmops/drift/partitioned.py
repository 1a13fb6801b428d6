"""Profiles of tables larger than memory: a partitioned Parquet dataset, one slice at a time.

``fit_parquet(path)`` reads a Parquet file or a folder of them (hive partitions too) in
slices of ``batch_rows`` rows, fits a :class:`~calmops.drift.profile.Profile` of each and
merges them (profiles are mergeable: counts, moments, ranges and categories exactly, samples
as uniform samples of the union). Only one slice is in memory at a time. The kinds of the
columns are decided once, from the first slice, so every partial profile agrees on them.
:func:`calmops.executor.ray_data.fit_parquet_ray` does the same on a Ray cluster.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.drift.profile import DEFAULT_CAP, DEFAULT_ROW_SAMPLE, Profile
from calmops.drift.sides import DEFAULT_BINS
from calmops.errors import DataFileError, DataValidationError

__all__ = ["DEFAULT_BATCH_ROWS", "fit_parquet", "merge_profiles", "parquet_kinds"]

DEFAULT_BATCH_ROWS = 1_000_000


def fit_parquet(
    path: str | Path,
    *,
    columns: Iterable[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    cap: int | None = DEFAULT_CAP,
    bins: int = DEFAULT_BINS,
    row_sample: int = DEFAULT_ROW_SAMPLE,
    seed: int = 0,
) -> Profile:
    """The profile of a Parquet file or dataset folder, fitted slice by slice.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> folder = Path(tempfile.mkdtemp())
    >>> rng = np.random.default_rng(0)
    >>> for part in range(3):
    ...     pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)}
    ...     ).to_parquet(folder / f"part-{part}.parquet")
    >>> profile = fit_parquet(folder, batch_rows=400)
    >>> profile.n_rows, sum(profile.columns["c"].side.as_dict().values())
    (1500, 1500)
    """
    options = {"cap": cap, "bins": bins, "row_sample": row_sample, "seed": seed}
    slices = _slices(path, columns, batch_rows)
    first = next(slices, None)
    if first is None:
        raise DataValidationError(f"the Parquet dataset {path} has no rows")
    kinds = parquet_kinds(first, kinds)
    frames = itertools.chain([first], slices)  # lazily: one slice and one partial at a time
    return merge_profiles(Profile.fit(frame, kinds=kinds, **options) for frame in frames)


def parquet_kinds(sample: pd.DataFrame, forced: Mapping[str, str] | None = None) -> dict:
    """The column kinds every partial profile uses: those of ``sample``, then ``forced``."""
    kinds = {
        name: column.kind for name, column in Profile.fit(sample, row_sample=0).columns.items()
    }
    return kinds | dict(forced or {})


def merge_profiles(profiles: Iterable[Profile]) -> Profile:
    """Merge partial profiles left to right (the order is part of the seeded result)."""
    merged: Profile | None = None
    for profile in profiles:
        merged = profile if merged is None else merged.merge(profile)
    if merged is None:
        raise DataValidationError("no partial profiles to merge")
    return merged


def _slices(path: str | Path, columns: Iterable[str] | None, batch_rows: int) -> Iterator[Any]:
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
    except (OSError, ValueError) as error:
        problem = f"cannot read it as a Parquet file or dataset folder ({error})"
        raise DataFileError(path, problem) from None
    chosen = None if columns is None else list(columns)
    batches = dataset.to_batches(
        columns=chosen, batch_size=batch_rows, batch_readahead=0, fragment_readahead=0
    )  # no read-ahead: one slice in memory at a time
    for batch in batches:
        if batch.num_rows:
            yield batch.to_pandas()
