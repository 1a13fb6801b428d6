"""Profiles of partitioned Parquet datasets on a Ray cluster, with Ray Data.

Each Ray Data block (a slice of the dataset) is profiled by a worker and the partial
profiles are merged on the driver, in the dataset's order — the same computation as
:func:`calmops.drift.partitioned.fit_parquet`, spread over the cluster's CPUs.
:func:`compare_parquet_ray` tests such a dataset against a reference, as
:func:`~calmops.drift.partitioned.compare_parquet` does in one process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift.compare import compare
from calmops.drift.partitioned import (
    DEFAULT_BATCH_ROWS,
    as_reference,
    fit_like,
    merge_profiles,
    parquet_kinds,
)
from calmops.drift.profile import DEFAULT_CAP, DEFAULT_ROW_SAMPLE, Profile
from calmops.drift.report import DriftReport
from calmops.drift.sides import DEFAULT_BINS
from calmops.errors import DataValidationError

__all__ = ["compare_parquet_ray", "fit_parquet_ray"]


def fit_parquet_ray(
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
    num_cpus: float = 1.0,
) -> Profile:
    """:func:`~calmops.drift.partitioned.fit_parquet` with Ray Data (``ray.init`` first, or
    Ray starts a local cluster)."""
    import ray.data

    chosen = None if columns is None else list(columns)
    dataset = ray.data.read_parquet(str(path), columns=chosen)
    head = dataset.limit(10_000).to_pandas()
    if head.empty:
        raise DataValidationError(f"the Parquet dataset {path} has no rows")
    options = {"cap": cap, "bins": bins, "row_sample": row_sample, "seed": seed, "edges": edges}
    options["kinds"] = parquet_kinds(head, kinds)

    def partial(batch: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"profile": [Profile.fit(batch, **options)]})

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    parts = dataset.map_batches(
        partial, batch_format="pandas", batch_size=batch_rows, num_cpus=num_cpus
    )
    return merge_profiles(row["profile"] for row in parts.iter_rows())


def compare_parquet_ray(
    reference: pd.DataFrame | Profile,
    path: str | Path,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    cap: int | None = DEFAULT_CAP,
    row_sample: int = DEFAULT_ROW_SAMPLE,
    num_cpus: float = 1.0,
    **options: Any,
) -> DriftReport:
    """:func:`~calmops.drift.partitioned.compare_parquet` with the current dataset profiled
    by Ray Data (``ray.init`` first, or Ray starts a local cluster); ``options`` are
    :func:`~calmops.drift.compare`'s."""
    profile = as_reference(reference, options)
    like = fit_like(profile, path, options.get("columns"), options.get("exclude", ()))
    current = fit_parquet_ray(
        path, batch_rows=batch_rows, cap=cap, row_sample=row_sample,
        seed=options.get("seed", 0), num_cpus=num_cpus, **like,
    )  # fmt: skip
    return compare(profile, current, **options)
