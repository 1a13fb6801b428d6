"""Column roles in a run: ids, time and excluded columns never reach the model or the drift
tests, the time column orders the rows and gives the report its period, columns that look
like ids or times without a role are named in the notes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataValidationError
from calmops.pipeline.roles import order_by_time, parse_times
from calmops.pipeline.sections import Period

ROLES = {"id_columns": ["customer_id"], "time_column": "ts", "exclude": ["note"]}


def with_roles(frame: pd.DataFrame, batch: int, seed: int = 0) -> pd.DataFrame:
    """``frame`` with a unique customer id, an hourly event time and a free-text note, its
    rows shuffled (the file is not in time order)."""
    rows = len(frame)
    times = pd.date_range(f"2026-0{batch + 1}-01", periods=rows, freq="h")
    extra = pd.DataFrame(
        {
            "customer_id": [f"C-{batch}-{i}" for i in range(rows)],
            "ts": times.strftime("%Y-%m-%dT%H:%M:%S"),
            "note": [f"call {i % 7}" for i in range(rows)],
        }
    )
    shuffled = np.random.default_rng(seed + batch).permutation(rows)
    return pd.concat([extra, frame], axis=1).iloc[shuffled].reset_index(drop=True)


def test_role_columns_never_reach_the_model_nor_the_drift_tests(lab, sea) -> None:
    lab.create(data=ROLES)
    batches = sea(2, size=600)
    for i, frame in enumerate(batches):
        lab.write(with_roles(frame, i))
    results = lab.run()
    assert [r.status for r in results] == ["succeeded", "succeeded"], results
    champion = lab.ws.store.models.get("demo", 1)
    assert [f["name"] for f in champion.card["features"]] == ["x0", "x1", "x2"]
    from calmops.models.registry import ModelRegistry

    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    model = registry.load(registry.alias("champion"))
    assert list(model.feature_names_in_) == ["x0", "x1", "x2"]
    second = lab.ws.store.runs.get("demo", results[1].run_id).report
    assert sorted(second["drift"]["features"]) == ["x0", "x1", "x2"]
    named = json.dumps(second["drift"])
    assert not [c for c in ("customer_id", "ts", "note") if f'"{c}"' in named]
    assert second["period"] == {"start": "2026-02-01T00:00:00", "end": "2026-02-25T23:00:00"}
    assert not [n for n in second["notes"] if "looks like" in n]


def test_columns_that_look_like_ids_or_times_are_named_in_the_notes(lab, sea) -> None:
    lab.create()
    lab.write(with_roles(sea(1, size=300)[0], 0).drop(columns=["note"]))
    [result] = lab.run()
    assert result.status == "succeeded", result
    notes = lab.ws.store.runs.get("demo", result.run_id).report["notes"]
    assert any(
        "'customer_id' looks like an identifier" in n and "data.id_columns" in n for n in notes
    )
    assert any("'ts' looks like an event time" in n and "data.time_column" in n for n in notes)


def test_a_time_that_is_not_a_date_fails_the_run_naming_it(lab, sea) -> None:
    lab.create(data=ROLES)
    frame = with_roles(sea(1, size=300)[0], 0)
    frame.loc[5, "ts"] = "yesterday"
    lab.write(frame)
    [result] = lab.run()
    assert result.status == "failed"
    assert "data.time_column 'ts'" in result.reason and "'yesterday'" in result.reason


@pytest.mark.parametrize("missing", ["customer_id", "ts"])
def test_a_batch_without_its_id_or_time_column_fails_naming_it(lab, sea, missing) -> None:
    lab.create(data=ROLES)
    lab.write(with_roles(sea(1, size=300)[0], 0).drop(columns=[missing]))
    [result] = lab.run()
    assert result.status == "failed"
    assert f"no column '{missing}'" in result.reason


def test_rows_are_ordered_by_time_stably_with_missing_times_last() -> None:
    frame = pd.DataFrame(
        {"ts": ["2026-01-02", None, "2026-01-01", "2026-01-02", "2026-01-01"], "x": range(5)}
    )
    ordered, period = order_by_time(frame, "ts")
    assert ordered["x"].tolist() == [2, 4, 0, 3, 1]
    assert period == Period("2026-01-01T00:00:00", "2026-01-02T00:00:00")


def test_times_parse_in_several_forms_and_numbers_order_as_numbers() -> None:
    mixed = pd.Series(["2026-01-02 10:00", "01/03/2026", "2026-01-01T00:00:00Z"])
    assert parse_times(mixed, "ts").notna().all()
    epochs = pd.Series([30, 10, 20])
    ordered, period = order_by_time(pd.DataFrame({"t": epochs}), "t")
    assert ordered["t"].tolist() == [10, 20, 30] and period == Period("10", "30")
    with pytest.raises(DataValidationError, match="'ts'.*'never'"):
        parse_times(pd.Series(["2026-01-01", None, "never"]), "ts")


def test_roles_given_later_retire_a_champion_that_used_them(lab, sea) -> None:
    from calmops.models.registry import ModelRegistry

    lab.create()
    first, second = sea(2, size=400)
    lab.write(with_roles(first, 0))
    [trained] = lab.run()
    assert "customer_id" in [f["name"] for f in lab.ws.store.models.get("demo", 1).card["features"]]
    lab.ws.update("demo", {"data.id_columns": ["customer_id"], "data.time_column": "ts"})
    lab.write(with_roles(second, 1))
    [result] = lab.run()
    assert result.status == "succeeded" and result.champion_version == 2, result
    notes = lab.ws.store.runs.get("demo", result.run_id).report["notes"]
    assert any("v1 uses columns that now have a role (customer_id, ts)" in n for n in notes)
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    champion = registry.alias("champion")
    assert [f["name"] for f in champion.card["features"]] == ["note", "x0", "x1", "x2"]
    # trained on the retained rows of the first batch too, without their id and time
    assert list(registry.load(champion).feature_names_in_) == ["note", "x0", "x1", "x2"]


@pytest.mark.parametrize("kind", ["block", "ipip"])
def test_block_kinds_leave_role_columns_out_too(lab, sea, kind) -> None:
    frame = pd.concat([with_roles(b, 0) for b in sea(1, size=600)], ignore_index=True)
    frame["month"] = np.repeat(["2024-1", "2024-2", "2024-3"], 200)
    tree = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 4}}
    lab.create(kind=kind, model=tree, data={"block_column": "month", **ROLES})
    lab.write(frame)
    [result] = lab.run()
    assert result.status == "succeeded", result
    card = lab.ws.store.models.get("demo", result.champion_version).card
    assert [f["name"] for f in card["features"]] == ["x0", "x1", "x2"]
    report = lab.ws.store.runs.get("demo", result.run_id).report
    assert report["period"]["start"] == "2026-01-01T00:00:00"
    assert not [n for n in report["notes"] if "looks like" in n]


def test_the_period_round_trips_through_the_typed_report(lab, sea) -> None:
    from calmops.pipeline.report import RunReport

    lab.create(data=ROLES)
    lab.write(with_roles(sea(1, size=300)[0], 2))
    [result] = lab.run()
    saved = lab.ws.store.runs.get("demo", result.run_id).report
    report = RunReport.from_dict(saved)
    assert report.period == Period("2026-03-01T00:00:00", "2026-03-13T11:00:00")
    assert report.to_dict() == saved and "period" not in report.extra
