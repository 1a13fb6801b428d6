"""Ray Data profiles a partitioned Parquet dataset on the two-node cluster: the merged
profile equals the one-process slice-by-slice profile (and the whole table) wherever merging
is exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.drift.test_partitioned import assert_exact_parts_equal, write_dataset

from calmops.drift.partitioned import fit_parquet
from calmops.drift.profile import Profile

pytest.importorskip("ray")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ray")]  # one cluster


def test_ray_data_profile_equals_the_local_one(cluster, tmp_path: Path) -> None:
    from calmops.executor.ray_data import fit_parquet_ray

    whole = write_dataset(tmp_path / "data", parts=4, rows=3_000)
    kinds = {"month": "categorical"}
    on_ray = fit_parquet_ray(tmp_path / "data", batch_rows=1_000, kinds=kinds)
    local = fit_parquet(tmp_path / "data", batch_rows=1_000, kinds=kinds)
    assert_exact_parts_equal(on_ray, local)
    assert_exact_parts_equal(on_ray, Profile.fit(whole, kinds=kinds))


def test_ray_data_compare_gives_the_local_report(cluster, tmp_path: Path) -> None:
    from tests.drift.test_compare_parquet import assert_same_report, reference_table

    from calmops.drift.compare import reference_profile
    from calmops.drift.partitioned import compare_parquet
    from calmops.executor.ray_data import compare_parquet_ray

    write_dataset(tmp_path / "data", parts=4, rows=2_500)
    reference = reference_profile(reference_table())
    on_ray = compare_parquet_ray(reference, tmp_path / "data", batch_rows=1_000)
    local = compare_parquet(reference, tmp_path / "data", batch_rows=1_000)
    assert on_ray.drifted == ["x"]
    assert_same_report(on_ray, local)
