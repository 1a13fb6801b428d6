"""Generalization, exact on hand-made cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.privacy import bin_numeric, group_categories, top_bottom_code, truncate_dates
from calmops.privacy.config import GeneralizeRule
from calmops.privacy.generalize import generalize


def test_binning_is_left_closed_and_the_last_bin_holds_its_edge():
    ages = pd.Series([0, 17, 18, 39.99, 40, 64, 65, 120, -1, 121, np.nan])
    out = bin_numeric(ages, [0, 18, 40, 65, 120]).tolist()
    assert out[:8] == [
        "[0, 18)", "[0, 18)", "[18, 40)", "[18, 40)", "[40, 65)", "[40, 65)",
        "[65, 120]", "[65, 120]",
    ]  # fmt: skip
    assert all(pd.isna(v) for v in out[8:])


def test_binning_labels_keep_fractional_edges():
    assert bin_numeric(pd.Series([0.3]), [0, 0.25, 0.5]).tolist() == ["[0.25, 0.5]"]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("day", ["2024-02-29", "2024-12-31", "2025-01-01"]),
        ("week", ["2024-02-26", "2024-12-30", "2024-12-30"]),
        ("month", ["2024-02-01", "2024-12-01", "2025-01-01"]),
        ("quarter", ["2024-01-01", "2024-10-01", "2025-01-01"]),
        ("year", ["2024-01-01", "2024-01-01", "2025-01-01"]),
    ],
)
def test_date_truncation(unit, expected):
    moments = ["2024-02-29 23:59:59", "2024-12-31 08:00", "2025-01-01"]
    dates = pd.Series(pd.to_datetime(moments, format="ISO8601"))
    out = truncate_dates(dates, unit)
    assert out.dt.strftime("%Y-%m-%d").tolist() == expected
    assert (out.dt.hour == 0).all() and out.dtype == dates.dtype


def test_date_truncation_keeps_the_time_zone_and_missing_values():
    dates = pd.Series(pd.to_datetime(["2024-05-17 10:00", None])).dt.tz_localize("Europe/Madrid")
    out = truncate_dates(dates, "month")
    assert str(out.dt.tz) == "Europe/Madrid" and out.isna().tolist() == [False, True]
    assert out[0] == pd.Timestamp("2024-05-01", tz="Europe/Madrid")


def test_top_and_bottom_coding():
    out = top_bottom_code(pd.Series([5, 10, 50, 200, 900]), top=200, bottom=10)
    assert out.tolist() == [10, 10, 50, 200, 200]
    assert top_bottom_code(pd.Series([5.0, 900.0]), top=100).tolist() == [5.0, 100.0]


def test_grouping_with_and_without_other():
    cities = pd.Series(["a", "b", "c", "z", None])
    groups = {"north": ["a", "b"], "south": ["c"]}
    assert group_categories(cities, groups, "other").tolist() == [
        "north", "north", "south", "other", None,
    ]  # fmt: skip
    assert group_categories(cities, groups).tolist() == ["north", "north", "south", "z", None]


def test_bad_input_is_a_clear_error():
    with pytest.raises(DataValidationError, match="column 'city': binning needs numbers"):
        bin_numeric(pd.Series(["a"], name="city"), [0, 1])
    with pytest.raises(DataValidationError, match="'a' is in groups 'n' and 's'"):
        group_categories(pd.Series(["a"], name="c"), {"n": ["a"], "s": ["a"]})
    with pytest.raises(DataValidationError, match="date truncation needs dates"):
        truncate_dates(pd.Series(["not a date"], name="d"), "month")


def test_generalize_applies_each_rule_and_leaves_the_input():
    frame = pd.DataFrame({"age": [3, 70], "income": [1.0, 1e9], "keep": [1, 2]})
    rules = {"age": GeneralizeRule(bins=[0, 18, 120]), "income": GeneralizeRule(top=1e6)}
    out = generalize(frame, rules)
    assert out.to_dict("list") == {
        "age": ["[0, 18)", "[18, 120]"], "income": [1.0, 1e6], "keep": [1, 2],
    }  # fmt: skip
    assert frame["age"].tolist() == [3, 70]
