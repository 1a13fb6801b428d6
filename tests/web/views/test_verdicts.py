"""A drifted feature never reads green (issue 18, item 1), and drift charts name runs as the
Runs tab does (item 2)."""

from __future__ import annotations

import pytest
from tests.web.truth_workspace import build_truth

from calmops.store import RunRecord
from calmops.web.reader import Reader
from calmops.web.sections import find
from calmops.web.views.drift import build_drift
from calmops.web.views.overview import build_overview
from calmops.web.views.runs import build_runs
from calmops.web.views.verdicts import feature_state, run_drift, state_of_report

pytestmark = pytest.mark.slow  # builds its own small workspace


@pytest.fixture(scope="module")
def truth_reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    return Reader(build_truth(tmp_path_factory.mktemp("truth")).workspace())


def _row(table: dict, first: str) -> list:
    return next(row for row in table["rows"] if row[0] == first)


def test_a_drifted_feature_below_the_share_rule_is_amber_on_the_overview(truth_reader) -> None:
    page = build_overview(truth_reader)
    item = next(p for p in page["pipelines"] if p["name"] == "shared")
    assert item["drift"] is False  # the dataset rule did not fire ...
    state = item["drift_state"]
    assert state["state"] == "features" and "x0" in state["drifted"]  # ... but x0 drifted
    assert state["tone"] == "warn" and "50%" in state["rule"]
    assert any("x0 drifted" in text for text in item["attention"])
    cell = find(page, "overview-pipelines")["rows"][0]  # needs attention: listed first
    badges = [c for c in cell if isinstance(c, dict) and "x0 drifted" in c.get("badge", "")]
    assert badges and badges[0]["tone"] == "warn" and "rule ≥ 50%" in badges[0]["badge"]
    kpi = next(k for k in find(page, "overview-kpis")["items"] if k["label"] == "drifting now")
    assert kpi["value"] == "1"


def test_the_runs_table_shows_the_drifted_feature(truth_reader) -> None:
    page = build_runs(truth_reader, "shared")
    table = find(page, "runs-table")
    column = table["columns"].index("drift")
    latest = table["rows"][0][column]
    assert latest["tone"] == "warn" and "x0" in latest["badge"]
    assert page["runs"][0]["drift"]["state"] == "features"


def test_the_drift_tab_is_amber_with_the_rule_beside_it(truth_reader) -> None:
    page = build_drift(truth_reader, "shared")
    reason = find(page, "drift-reason")
    assert reason["tone"] == "warn"
    assert "x0" in reason["text"] and "did not fire" in reason["text"]
    kpis = {k["label"]: k for k in find(page, "drift-kpis")["items"]}
    assert kpis["dataset drift"]["value"] == "no" and kpis["dataset drift"]["tone"] == "warn"
    assert "50%" in kpis["dataset drift"]["hint"]
    x0 = _row(find(page, "drift-features"), "x0")
    assert x0[6]["tone"] == "bad"


def test_drift_charts_name_runs_by_file_as_the_runs_tab_does(truth_reader) -> None:
    drift = build_drift(truth_reader, "shared")
    runs = build_runs(truth_reader, "shared")
    heat = find(drift, "drift-heatmap")["figure"]["data"][0]
    files = [r["file"] for r in runs["runs"]]
    assert heat["x"] and set(heat["x"]) <= set(files)  # no counting of tested runs only
    history = find(drift, "drift-feature")["choices"]["x0"]["data"]
    statistic = next(t for t in history if t.get("xaxis") == "x2")
    assert len(statistic["x"]) == len(heat["x"])  # one point per tested run, on a time axis
    shown = " ".join(str(t) for t in statistic.get("text") or statistic.get("customdata") or [])
    assert all(name in shown for name in heat["x"]), shown  # hover names the same files


def test_a_distance_past_its_threshold_on_a_small_sample_is_a_warning() -> None:
    entry = {"drift": False, "verdict": "no_drift", "small_sample": True, "test": "wasserstein",
             "statistic": 0.63, "threshold": 0.1, "p_value": None,
             "effect": {"value": 0.63, "threshold": 0.1, "material": True}}  # fmt: skip
    assert feature_state(entry)[0] == "warning"
    settings = {"dataset_rule": "share", "drift_share": 0.5}
    state = state_of_report(
        {"drift_detected": False, "features": {"x0": entry}, "settings": settings}
    )
    assert state.state == "features" and state.warned == ("x0",) and state.tone == "warn"
    effect = {"value": 0.02, "threshold": 0.1, "material": False}
    quiet = {"drift": False, "verdict": "no_drift", "statistic": 0.02, "threshold": 0.1,
             "p_value": None, "effect": effect}  # fmt: skip
    assert state_of_report({"drift_detected": False, "features": {"x1": quiet}}).state == "ok"


def test_runs_recorded_before_the_summary_named_features_are_read_from_the_report(
    truth_reader,
) -> None:
    latest = truth_reader.runs("shared", limit=1)[0]
    older = RunRecord(
        id=latest.id, pipeline="shared", status="succeeded", source=latest.source,
        summary={k: v for k, v in latest.summary.items() if k != "drift_features"},
    )  # fmt: skip
    assert run_drift(older).state == "ok"  # the summary alone cannot tell; the report can
    found = run_drift(older, truth_reader, "shared")
    assert found.state == "features" and "x0" in found.drifted


def test_the_run_page_shows_a_quiet_data_signal_with_drifted_features_amber(
    truth_reader,
) -> None:
    from calmops.web.views.run import build_run

    latest = truth_reader.runs("shared", limit=1)[0]
    signals = find(build_run(truth_reader, "shared", latest.id), "run-signals")
    data = next(row for row in signals["rows"] if row[0] == "data")
    assert data[1]["tone"] == "warn" and "x0 drifted" in data[1]["badge"]
