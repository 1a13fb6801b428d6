"""Profiles of tables larger than memory: a partitioned Parquet dataset, one slice at a time.

``fit_parquet(path)`` reads a Parquet file or a folder of them (hive partitions too) in
slices of ``batch_rows`` rows, fits a :class:`~calmops.drift.profile.Profile` of each and
merges them (profiles are mergeable: counts, moments, ranges and categories exactly, samples
as uniform samples of the union). One slice is in memory at a time: files are read one after
the other, each in slices, with no read-ahead (Arrow's dataset scanner reads files ahead in
the background while a slow consumer fits, and its queue grew with the dataset). The kinds
of the columns are decided once, from the first slice, so every partial profile agrees on
them. ``compare_parquet(reference, path)`` tests such a dataset, as the current batch,
against a reference: it fits the dataset like the reference (same kinds, numbers on the
reference's bin edges) and hands the profile to :func:`~calmops.drift.compare`.
:func:`calmops.executor.ray_data.fit_parquet_ray` and ``compare_parquet_ray`` do the same on
a Ray cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift.compare import check_options, compare, reference_profile
from calmops.drift.profile import DEFAULT_CAP, DEFAULT_ROW_SAMPLE, Profile
from calmops.drift.report import DriftReport
from calmops.drift.sides import DEFAULT_BINS, NumericSide
from calmops.errors import DataFileError, DataValidationError

__all__ = [
    "DEFAULT_BATCH_ROWS",
    "as_reference",
    "compare_parquet",
    "fit_like",
    "fit_parquet",
    "head_parquet",
    "merge_profiles",
    "parquet_columns",
    "parquet_kinds",
]

DEFAULT_BATCH_ROWS = 1_000_000


def fit_parquet(
    path: str | Path,
    *,
    columns: Iterable[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    edges: Mapping[str, np.ndarray] | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    cap: int | None = DEFAULT_CAP,
    bins: int = DEFAULT_BINS,
    row_sample: int = DEFAULT_ROW_SAMPLE,
    seed: int = 0,
) -> Profile:
    """The profile of a Parquet file or dataset folder, fitted slice by slice (``edges``:
    bin edges of numeric columns, see :meth:`Profile.fit`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> rng = np.random.default_rng(0)
    >>> for part in range(3):
    ...     pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)}
    ...     ).to_parquet(folder / f"part-{part}.parquet")
    >>> profile = fit_parquet(folder, batch_rows=400)
    >>> profile.n_rows, sum(profile.columns["c"].side.as_dict().values())
    (1500, 1500)
    """
    options = {"cap": cap, "bins": bins, "row_sample": row_sample, "seed": seed, "edges": edges}
    slices = _slices(path, columns, batch_rows)
    merged: Profile | None = None
    for frame in slices:
        if merged is None:
            options["kinds"] = parquet_kinds(frame, kinds)
        part = Profile.fit(frame, **options)
        del frame  # the next slice is read while only the merged profile is held
        merged = part if merged is None else merged.merge(part)
    if merged is None:
        raise DataValidationError(f"the Parquet dataset {path} has no rows")
    return merged


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


def compare_parquet(
    reference: pd.DataFrame | Profile,
    path: str | Path,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    cap: int | None = DEFAULT_CAP,
    row_sample: int = DEFAULT_ROW_SAMPLE,
    **options: Any,
) -> DriftReport:
    """:func:`~calmops.drift.compare` of a Parquet file or dataset folder (the current
    batch, read slice by slice) against ``reference``; ``options`` are ``compare``'s.

    Counts, missing values, moments, ranges, bins and categories of the current side are
    exact; KS and the other tests on values see all of them up to ``cap`` rows, a uniform
    random sample of ``cap`` above (calibrated, with the power of ``cap`` current rows).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> rng = np.random.default_rng(0)
    >>> reference = pd.DataFrame({"x": rng.normal(size=2000), "c": rng.choice(["a", "b"], 2000)})
    >>> for part in range(2):
    ...     pd.DataFrame({"x": rng.normal(0.5, size=1000), "c": rng.choice(["a", "b"], 1000)}
    ...     ).to_parquet(folder / f"part-{part}.parquet")
    >>> report = compare_parquet(reference, folder, batch_rows=600)
    >>> report.drifted, report.n_current
    (['x'], 2000)
    """
    profile = as_reference(reference, options)
    like = fit_like(profile, path, options.get("columns"), options.get("exclude", ()))
    seed = options.get("seed", 0)
    current = fit_parquet(
        path, batch_rows=batch_rows, cap=cap, row_sample=row_sample, seed=seed, **like
    )
    return compare(profile, current, **options)


def as_reference(reference: pd.DataFrame | Profile, options: Mapping[str, Any]) -> Profile:
    """The reference as ``compare`` would profile it, given ``compare``'s ``options`` (which
    are checked here, before the current dataset is read)."""
    if not isinstance(reference, Profile):
        reference = reference_profile(
            reference,
            options.get("columns"),
            options.get("exclude", ()),
            seed=options.get("seed", 0),
        )
    check_options(reference, **options)
    return reference


def fit_like(
    reference: Profile,
    path: str | Path,
    columns: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
) -> dict[str, Any]:
    """The ``columns``, ``kinds`` and ``edges`` that fit a current batch like ``reference``:
    the dataset's columns to compare (``columns`` minus ``exclude``), with the reference's
    kinds, numbers binned on the reference's edges."""
    wanted = None if columns is None else {str(c) for c in columns}
    excluded = {str(c) for c in exclude}
    names = [
        n for n in parquet_columns(path) if (wanted is None or n in wanted) and n not in excluded
    ]
    known = {n: c for n, c in reference.columns.items() if n in names}
    return {
        "columns": names,
        "kinds": {n: c.kind for n, c in known.items()},
        "edges": {n: c.side.edges for n, c in known.items() if isinstance(c.side, NumericSide)},
    }


def parquet_columns(path: str | Path) -> list[str]:
    """The column names of a Parquet file or dataset folder (hive partition keys included)."""
    return list(_dataset(path).schema.names)


def head_parquet(path: str | Path, rows: int) -> pd.DataFrame:
    """The first slice (at most ``rows`` rows) of a Parquet file or dataset folder."""
    return next(_slices(path, None, rows), pd.DataFrame())


def _dataset(path: str | Path) -> Any:
    import pyarrow.dataset as ds

    try:
        return ds.dataset(str(path), format="parquet", partitioning="hive")
    except (OSError, ValueError) as error:
        problem = f"cannot read it as a Parquet file or dataset folder ({error})"
        raise DataFileError(path, problem) from None


def _slices(path: str | Path, columns: Iterable[str] | None, batch_rows: int) -> Iterator[Any]:
    dataset = _dataset(path)
    chosen = None if columns is None else list(columns)
    for fragment in dataset.get_fragments():  # one file at a time, in the dataset's order
        batches = fragment.to_batches(
            schema=dataset.schema,  # hive partition columns included
            columns=chosen,
            batch_size=batch_rows,
            batch_readahead=0,
            fragment_readahead=0,
        )
        for batch in batches:
            if batch.num_rows:
                held = [batch]
                del batch  # suspended at the yield, this generator holds no slice
                yield held.pop().to_pandas()
