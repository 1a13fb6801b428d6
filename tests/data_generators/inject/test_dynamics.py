"""Scenario dynamics: exact trends, cycles and steps along rows, time and blocks; random walks
with the asked step sd; only the selected rows and columns move; the record says how."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from calmops.data_generators import (
    BlockSet,
    DriftRecord,
    Injection,
    RowRange,
    TimeRange,
    inject,
    inject_all,
)
from calmops.errors import DataValidationError, SpecError


@pytest.fixture
def small():
    return pd.DataFrame(
        {
            "t": pd.date_range("2024-01-01", periods=6, freq="D"),
            "block": ["b1", "b1", "b2", "b2", "b10", "b10"],
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "y": [0.0] * 6,
            "k": [1, 2, 3, 4, 5, 6],
        }
    )


def test_trend_along_rows_starts_at_the_selection(small):
    out, record = inject(small, "trend", columns="y", slope=0.5, selector=RowRange(2, 5), seed=0)
    assert out["y"].tolist() == [0.0, 0.0, 0.0, 0.5, 1.0, 0.0]
    for column in ("t", "block", "x", "k"):  # only the chosen column moves
        assert out[column].equals(small[column])
    event = record.events[0]
    assert (event.kind, event.operation, event.columns) == ("covariate", "trend", ("y",))
    assert (event.onset_row, event.last_row) == (2, 4)
    assert event.params["slope"] == 0.5 and event.params["origin"] == 2
    assert (event.params["axis"], event.params["axis_column"]) == ("row", None)


def test_trend_per_day_per_hour_and_from_an_origin(small):
    per_day, rec = inject(small, "trend", columns="x", slope=1.0, time_column="t", seed=0)
    assert (per_day["x"] - small["x"]).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert rec.events[0].params["origin"] == "2024-01-01T00:00:00"
    assert rec.events[0].onset_time == "2024-01-01T00:00:00"
    per_hour, _ = inject(small, "trend", columns="y", slope=1.0, per="1h", time_column="t")
    assert per_hour["y"].tolist() == [0.0, 24.0, 48.0, 72.0, 96.0, 120.0]
    origin, rec = inject(
        small, "trend", columns="y", slope=2.0, origin="2024-01-03", time_column="t", seed=0
    )
    assert origin["y"].tolist() == [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0]
    assert rec.events[0].params["origin"] == "2024-01-03"


def test_trend_along_blocks_in_natural_order(small):
    out, rec = inject(small, "trend", columns="y", slope=3.0, block_column="block", seed=0)
    assert out["y"].tolist() == [0.0, 0.0, 3.0, 3.0, 6.0, 6.0]  # b10 after b2
    assert rec.events[0].params["origin"] == "b1"
    halves, _ = inject(small, "trend", columns="y", slope=3.0, per=2, block_column="block")
    assert halves["y"].tolist() == [0.0, 0.0, 1.5, 1.5, 3.0, 3.0]
    selected, _ = inject(
        small, "trend", columns="y", slope=1.0, block_column="block",
        selector=BlockSet("block", ("b2", "b10")),
    )  # fmt: skip
    assert selected["y"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]


def test_trend_is_scaled_by_the_profile(small):
    out, _ = inject(small, "trend", columns="y", slope=1.0, profile="linear", seed=0)
    # weight i/5; the trend starts at the first row that changes (row 1, weight 0.2)
    assert out["y"].tolist() == pytest.approx([0.0, 0.0, 0.4, 1.2, 2.4, 4.0])


def test_integer_columns_become_float(small):
    out, _ = inject(small, "trend", columns="k", slope=0.5, seed=0)
    assert out["k"].tolist() == [1.0, 2.5, 4.0, 5.5, 7.0, 8.5]


def test_seasonality_additive_and_multiplicative(small):
    out, rec = inject(
        small, "seasonality", columns="y", period=4, amplitude=2.0, phase=np.pi / 2, seed=0
    )
    assert out["y"].round(12).tolist() == [2.0, 0.0, -2.0, 0.0, 2.0, 0.0]
    assert rec.events[0].params["period"] == 4.0 and rec.events[0].params["phase"] == np.pi / 2
    times, _ = inject(small, "seasonality", columns="y", period="4D", time_column="t", seed=0)
    assert times["y"].round(12).tolist() == [0.0, 1.0, 0.0, -1.0, 0.0, 1.0]
    scaled, rec = inject(
        small.assign(y=10.0), "seasonality", columns="y", period=4, amplitude=0.5,
        mode="multiplicative", selector=RowRange(1), seed=0,
    )  # fmt: skip
    assert scaled["y"].round(12).tolist() == [10.0, 10.0, 15.0, 10.0, 5.0, 10.0]
    assert rec.events[0].params["mode"] == "multiplicative"


def test_level_steps_at_rows_times_and_blocks(small):
    rows, rec = inject(small, "level_steps", columns="y", at=[1, 3], sizes=[2, -0.5], seed=0)
    assert rows["y"].tolist() == [0.0, 2.0, 2.0, 1.5, 1.5, 1.5]
    assert rec.events[0].params["at"] == [1, 3] and rec.events[0].params["sizes"] == [2, -0.5]
    times, _ = inject(
        small, "level_steps", columns="y", at="2024-01-05", sizes=4, time_column="t", seed=0
    )
    assert times["y"].tolist() == [0.0, 0.0, 0.0, 0.0, 4.0, 4.0]
    blocks, _ = inject(
        small, "level_steps", columns="y", at=["b2"], sizes=[1.0], block_column="block"
    )
    assert blocks["y"].tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]  # b10 comes after b2


def test_random_walk_steps_have_the_asked_sd():
    n, sd = 200_000, 0.3
    data = pd.DataFrame({"x": np.zeros(n), "z": np.zeros(n)})
    out, rec = inject(data, "random_walk", columns=["x", "z"], sd=sd, seed=11)
    steps = np.diff(out["x"].to_numpy())
    assert out["x"].iloc[0] == 0.0
    # the sample sd of n normal steps is within a few standard errors sd / sqrt(2n)
    assert np.std(steps, ddof=1) == pytest.approx(sd, abs=4 * sd / np.sqrt(2 * n))
    assert abs(np.mean(steps)) < 4 * sd / np.sqrt(n)
    assert stats.kstest(steps / sd, "norm").pvalue > 0.01
    assert not np.array_equal(out["x"], out["z"])  # each column its own walk
    event = rec.events[0]
    assert event.params["steps"] == n - 1
    assert event.params["end_level"]["x"] == pytest.approx(out["x"].iloc[-1])


def test_random_walk_on_irregular_times_scales_with_the_gap():
    rng = np.random.default_rng(0)
    hours = np.cumsum(rng.integers(1, 49, 50_000))
    data = pd.DataFrame({"t": pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, unit="h")})
    data["x"] = 0.0
    out, _ = inject(data, "random_walk", columns="x", sd=2.0, per="1D", time_column="t", seed=5)
    gaps_in_days = np.diff(hours) / 24.0
    standardised = np.diff(out["x"].to_numpy()) / (2.0 * np.sqrt(gaps_in_days))
    assert np.std(standardised) == pytest.approx(1.0, abs=0.02)
    assert stats.kstest(standardised, "norm").pvalue > 0.01


def test_random_walk_is_seeded_and_shared_within_a_block(small):
    first, _ = inject(small, "random_walk", columns="y", block_column="block", seed=4)
    again, _ = inject(small, "random_walk", columns="y", block_column="block", seed=4)
    other, _ = inject(small, "random_walk", columns="y", block_column="block", seed=5)
    assert first.equals(again) and not first.equals(other)
    y = first["y"].to_numpy()
    assert y[0] == y[1] == 0.0 and y[2] == y[3] and y[4] == y[5]


def test_random_walk_touches_only_the_selected_rows(small):
    out, rec = inject(
        small, "random_walk", columns="x", time_column="t",
        selector=TimeRange("t", "2024-01-03", "2024-01-06"), seed=1,
    )  # fmt: skip
    changed = (out["x"] != small["x"]).to_numpy()
    assert changed.tolist() == [False, False, False, True, True, False]  # starts at 0
    assert rec.events[0].weight.tolist() == [0, 0, 1, 1, 1, 0]


def test_the_record_round_trips_and_replays(small):
    steps = [
        Injection("trend", "x", params={"slope": 0.1}),
        Injection("seasonality", "y", params={"period": "2D"}),
        Injection("level_steps", "x", params={"at": ["b2"], "sizes": [1.0], "axis": "block"}),
    ]
    out, record = inject_all(small, steps, seed=2, time_column="t", block_column="block")
    assert DriftRecord.from_json(record.to_json()) == record
    assert [e.params["axis"] for e in record.events] == ["time", "time", "block"]
    again, _ = inject_all(small, steps, seed=2, time_column="t", block_column="block")
    assert out.equals(again)


@pytest.mark.parametrize(
    ("op", "params", "error", "message"),
    [
        ("seasonality", {}, SpecError, "needs period"),
        ("seasonality", {"period": 4, "mode": "both"}, SpecError, "mode must be one of"),
        ("trend", {"per": "fortnight", "axis": "time"}, SpecError, "duration such as"),
        ("trend", {"per": 0}, SpecError, "per must be a positive duration"),
        ("trend", {"per": 0, "axis": "row"}, SpecError, "per must be > 0"),
        ("trend", {"axis": "block"}, SpecError, "needs block_column"),
        ("level_steps", {"at": [1, 2], "sizes": [1]}, SpecError, "2 points"),
        ("level_steps", {"sizes": [1]}, SpecError, "needs at"),
        ("random_walk", {"sd": -1}, SpecError, "sd must be >= 0"),
        ("trend", {"slope": 1, "axis": "sideways"}, SpecError, "axis must be one of"),
    ],
)
def test_bad_parameters_are_clear(small, op, params, error, message):
    with pytest.raises(error, match=message):
        inject(small, op, columns="y", time_column="t", **params)


def test_bad_points_and_columns_are_clear(small):
    with pytest.raises(SpecError, match="no block 'b3' in column 'block'; it has b1, b2, b10"):
        inject(small, "level_steps", columns="y", at="b3", sizes=1, block_column="block")
    with pytest.raises(SpecError, match="points are times"):
        inject(small, "level_steps", columns="y", at="soon", sizes=1, time_column="t")
    with pytest.raises(SpecError, match="needs time_column"):
        inject(small, "trend", columns="y", axis="time")
    with pytest.raises(DataValidationError, match="needs a numeric column"):
        inject(small, "trend", columns="block")
    gaps = small.assign(block=["b1", None, "b2", "b2", "b3", "b3"])
    with pytest.raises(DataValidationError, match="missing block ids"):
        inject(gaps, "trend", columns="y", block_column="block")
