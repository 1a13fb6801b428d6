"""``compare_parquet`` tests a partitioned Parquet dataset (the current batch, read slice by
slice) against a reference and gives the report ``compare`` gives on the same table held in
memory: the same verdicts, statistics and findings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.drift.test_partitioned import write_dataset

from calmops.drift.compare import compare, reference_profile
from calmops.drift.partitioned import compare_parquet, fit_parquet
from calmops.drift.profile import Profile
from calmops.errors import DataValidationError, RegistryError


def reference_table(rows: int = 6_000, seed: int = 1) -> pd.DataFrame:
    """Like :func:`write_dataset`'s table with every month alike (x around 1.5)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(1.5, 1.0, rows),
            "n": rng.integers(0, 50, rows).astype(float),
            "c": rng.choice(["red", "green", "blue"], rows),
            "flag": rng.choice(["yes", "no"], rows),
        }
    )


def assert_same_report(got, expected) -> None:
    assert got.drift_detected == expected.drift_detected
    assert got.drifted == expected.drifted
    assert (got.n_reference, got.n_current) == (expected.n_reference, expected.n_current)
    assert set(got.features) == set(expected.features)
    for name, feature in expected.features.items():
        other = got.features[name]
        assert (other.test, other.verdict) == (feature.test, feature.verdict), name
        assert other.statistic == pytest.approx(feature.statistic, rel=1e-9), name
        if feature.p_value is None:
            assert other.p_value is None, name
        else:
            assert other.p_value == pytest.approx(feature.p_value, rel=1e-6, abs=1e-300), name
        assert other.effect_sizes == pytest.approx(feature.effect_sizes, rel=1e-9), name
        assert other.n_current == feature.n_current, name
        assert other.missing_current == pytest.approx(feature.missing_current), name
    kinds = sorted((f.kind, f.column) for f in expected.quality)
    assert sorted((f.kind, f.column) for f in got.quality) == kinds


def test_drift_in_one_column_gives_the_in_memory_verdicts(tmp_path: Path) -> None:
    current = write_dataset(tmp_path / "data", parts=4, rows=2_500)  # x's mean moves by month
    reference = reference_profile(reference_table())
    expected = compare(reference, current)
    got = compare_parquet(reference, tmp_path / "data", batch_rows=700)
    assert expected.drifted == ["x"] and not expected.features["n"].drift
    assert_same_report(got, expected)
    assert any(f.kind == "new_column" and f.column == "month" for f in got.quality)


def test_no_drift_is_no_drift_and_a_reference_table_works_too(tmp_path: Path) -> None:
    folder = tmp_path / "same"
    folder.mkdir()
    table = reference_table(seed=2)
    for part in range(3):
        table.iloc[part * 2_000 : (part + 1) * 2_000].to_parquet(folder / f"{part}.parquet")
    reference = reference_table()
    options = {"exclude": ["flag"], "seed": 4}
    got = compare_parquet(reference, folder, batch_rows=900, **options)
    assert not got.drift_detected and "flag" not in got.features
    assert_same_report(got, compare(reference, table, **options))


def test_above_the_cap_the_current_side_is_a_sample_with_exact_counts(tmp_path: Path) -> None:
    current = write_dataset(tmp_path / "data", parts=4, rows=2_500)
    reference = reference_profile(reference_table())
    got = compare_parquet(reference, tmp_path / "data", batch_rows=700, cap=1_000)
    expected = compare(reference, current)
    assert got.drifted == expected.drifted == ["x"]
    for name in ("x", "n"):  # bins are the reference's and counted over every row
        assert got.features[name].effect_sizes["psi"] == pytest.approx(
            expected.features[name].effect_sizes["psi"], rel=1e-9
        )


def test_multivariate_tests_read_the_current_profiles_row_sample(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", parts=4, rows=2_500)
    reference = reference_profile(reference_table())
    got = compare_parquet(reference, tmp_path / "data", batch_rows=700, multivariate=["mmd"])
    assert got.multivariate["mmd"].drift


def test_a_profile_fitted_on_other_bins_is_refused_with_the_fix(tmp_path: Path) -> None:
    current = write_dataset(tmp_path / "data", parts=2, rows=2_500)
    reference = reference_profile(reference_table())
    capped = fit_parquet(tmp_path / "data", cap=500)
    with pytest.raises(DataValidationError, match="edges= the reference"):
        compare(reference, capped)
    full = Profile.fit(current, cap=None)  # every value at hand: rebinned on the reference
    assert_same_report(compare(reference, full), compare(reference, current))


@pytest.mark.parametrize(
    "options, error",
    [
        ({"alpha": 2.0}, DataValidationError),
        ({"numeric_test": "no-such-test"}, RegistryError),
        ({"correction": "holmes"}, RegistryError),
        ({"alpah": 0.01}, TypeError),
    ],
)
def test_bad_options_fail_before_the_dataset_is_read(tmp_path: Path, monkeypatch, options, error):
    from calmops.drift import partitioned

    def no_read(*args, **kwargs):
        raise AssertionError("the dataset was read before the options were checked")

    monkeypatch.setattr(partitioned, "fit_parquet", no_read)
    monkeypatch.setattr(partitioned, "fit_like", no_read)
    with pytest.raises(error):
        compare_parquet(reference_table(500), tmp_path / "nowhere", **options)


def test_values_that_are_not_numbers_are_found_as_in_memory(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(1.5, 1.0, 3_000).round(3).astype(str).astype(object)
    x[rng.choice(3_000, 40, replace=False)] = "n/a?"
    current = pd.DataFrame({"x": x, "c": rng.choice(["red", "green", "blue"], 3_000)})
    folder = tmp_path / "data"
    folder.mkdir()
    for part, rows in enumerate(np.array_split(np.arange(3_000), 3)):
        current.iloc[rows].to_parquet(folder / f"part-{part}.parquet", index=False)
    reference = reference_profile(reference_table()[["x", "c"]])
    expected = compare(reference, current)
    got = compare_parquet(reference, folder, batch_rows=400)
    assert_same_report(got, expected)
    counts = [
        [f.details.get("count") for f in report.quality if f.kind == "unparseable_values"]
        for report in (expected, got)
    ]
    assert counts[0] == counts[1] == [40]
