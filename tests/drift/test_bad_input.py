"""Bad input gives a clear finding or error: never a crash, never a NaN verdict."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from calmops.drift import Profile, compare
from calmops.errors import DataValidationError

RNG = np.random.default_rng(0)
N = 300


def _ref() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": RNG.normal(size=N),
            "c": RNG.choice(["a", "b", "c"], N),
            "const": np.full(N, 7.0),
        }
    )


def _kinds(report, kind):
    return [f for f in report.quality if f.kind == kind]


def _no_nan(report):
    for f in report.features.values():
        assert not math.isnan(f.statistic)
        assert f.p_value is None or not math.isnan(f.p_value)
        assert f.verdict.value in ("no_drift", "warning", "drift")
    json.dumps(report.to_dict(), allow_nan=False)


@pytest.mark.parametrize("which", ["reference", "current"])
def test_empty_frames_are_errors(which):
    ref, cur = _ref(), _ref()
    empty = ref.iloc[:0]
    args = (empty, cur) if which == "reference" else (ref, empty)
    with pytest.raises(DataValidationError, match=f"the {which} table has no rows"):
        compare(*args)


def test_frames_without_columns_are_errors():
    with pytest.raises(DataValidationError, match="no rows"):
        compare(pd.DataFrame(), pd.DataFrame())


def test_all_nan_current_column_is_a_finding_not_a_verdict():
    cur = _ref()
    cur["x"] = np.nan
    report = compare(_ref(), cur)
    assert "x" not in report.features
    assert report.skipped["x"] == "no usable values in the current data"
    (finding,) = _kinds(report, "all_missing")
    assert finding.column == "x" and finding.severity == "error"
    assert _kinds(report, "missing_rate_change")[0].details["current"] == 1.0
    _no_nan(report)


def test_all_nan_reference_column_is_skipped():
    ref = _ref()
    ref["x"] = np.nan
    report = compare(ref, _ref())
    assert report.skipped["x"] == "no usable values in the reference"
    _no_nan(report)


def test_constant_columns():
    cur = _ref()
    same = compare(_ref(), cur).features["const"]
    assert same.statistic == 0.0 and same.verdict.value == "no_drift"
    cur["const"] = 8.0
    moved = compare(_ref(), cur)
    assert moved.features["const"].drift
    assert _kinds(moved, "constant_in_reference")[0].column == "const"
    (out,) = [f for f in _kinds(moved, "out_of_range") if f.column == "const"]
    assert out.details["share"] == 1.0
    _no_nan(moved)


def test_a_column_missing_on_one_side():
    cur = _ref().drop(columns="c").assign(extra=1.0)
    report = compare(_ref(), cur)
    assert "c" not in report.features and report.skipped["c"] == "missing from the current data"
    assert [(f.kind, f.column, f.severity) for f in report.quality[:2]] == [
        ("missing_column", "c", "error"),
        ("new_column", "extra", "info"),
    ]
    _no_nan(report)


def test_mixed_types_in_one_column():
    ref = _ref()
    ref["m"] = pd.Series(["a", 1, "b", 2.5] * (N // 4), dtype=object)
    cur = _ref()
    cur["m"] = pd.Series(["a", 1, "b", "c"] * (N // 4), dtype=object)
    report = compare(ref, cur)
    assert report.features["m"].kind == "categorical"
    assert _kinds(report, "mixed_types")[0].column == "m"
    assert _kinds(report, "new_categories")[0].details["categories"] == ["c"]
    _no_nan(report)


def test_text_in_a_numeric_column():
    cur = _ref()
    cur["x"] = cur["x"].astype(object)
    cur.loc[:9, "x"] = "oops"
    report = compare(_ref(), cur)
    assert report.features["x"].n_current == N - 10
    assert _kinds(report, "unparseable_values")[0].details["count"] == 10
    assert _kinds(report, "dtype_changed")[0].column == "x"
    _no_nan(report)


def test_infinities_are_excluded_and_reported():
    ref, cur = _ref(), _ref()
    ref.loc[0, "x"] = -np.inf
    cur.loc[:4, "x"] = np.inf
    report = compare(ref, cur)
    assert report.features["x"].n_current == N - 5
    assert _kinds(report, "infinite_values")[0].details["count"] == 5
    assert Profile.fit(ref).columns["x"].side.n_infinite == 1
    _no_nan(report)


def test_only_infinities_is_like_all_missing():
    cur = _ref()
    cur["x"] = np.inf
    report = compare(_ref(), cur)
    assert report.skipped["x"] == "no usable values in the current data"
    _no_nan(report)


def test_wrong_types_of_argument():
    with pytest.raises(DataValidationError, match="expected a pandas DataFrame"):
        compare(_ref(), [1, 2, 3])
    with pytest.raises(DataValidationError, match="DataFrame or a Profile"):
        compare({"x": [1]}, _ref())
    with pytest.raises(DataValidationError, match="alpha must be between 0 and 1"):
        compare(_ref(), _ref(), alpha=1.5)


def test_integer_and_float_codes_are_the_same_categories():
    ref = pd.DataFrame({"code": [1, 2, 3] * 100})
    cur = pd.DataFrame({"code": [1.0, 2.0, 3.0, np.nan] * 75})
    report = compare(ref, cur)
    assert not _kinds(report, "new_categories")
    _no_nan(report)


def test_missing_rate_change_is_reported():
    cur = _ref()
    cur.loc[: N // 5, "c"] = None
    (finding,) = _kinds(compare(_ref(), cur), "missing_rate_change")
    assert finding.column == "c" and finding.details["current"] == pytest.approx(0.2, abs=0.01)


def test_duplicate_column_names_are_errors():
    ref = _ref()
    doubled = pd.concat([ref[["x"]], ref[["x"]]], axis=1)
    with pytest.raises(DataValidationError, match="duplicate column names: x"):
        compare(doubled, ref)
    with pytest.raises(DataValidationError, match="duplicate column names in the current data: x"):
        compare(ref, doubled)


def test_non_text_column_names_work():
    ref = pd.DataFrame(RNG.normal(size=(200, 3)))
    report = compare(Profile.fit(ref), ref)
    assert list(report.features) == ["0", "1", "2"] and not report.drift_detected
