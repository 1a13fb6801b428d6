"""Performance over time as the decision saw it: baseline, tolerance, the decision's own
interval, event lanes that do not hide each other, dates on the x axis; the drift measure
of a feature over time with its threshold, even with one run."""

from __future__ import annotations

from datetime import datetime

import pytest

from calmops.web.sections import find
from calmops.web.views.drift import build_drift
from calmops.web.views.runs import build_runs


def _traces(view) -> dict:
    return {t["name"]: t for t in find(view, "runs-metric")["figure"]["data"]}


def test_the_band_is_the_decisions_interval_and_explains_each_signal(reader) -> None:
    traces = _traces(build_runs(reader, "sea"))
    upper, lower = (t for t in find(build_runs(reader, "sea"), "runs-metric")["figure"]["data"]
                    if t["name"] == "99% interval the decision used")  # fmt: skip
    baseline, tolerance = traces["champion's baseline"], traces["tolerance"]
    line = traces["balanced accuracy"]
    runs = {r.id: r for r in reader.runs("sea")}
    checked = 0
    for i, run_id in enumerate(line["customdata"]):
        signal = reader.report("sea", runs[run_id]).signals["performance"]
        details = signal.details
        if details.get("baseline") is None:
            assert baseline["y"][i] is None and upper["y"][i] is None
            continue
        checked += 1
        assert baseline["y"][i] == pytest.approx(details["baseline"])
        assert tolerance["y"][i] == pytest.approx(details["baseline"] - details["tolerance"])
        assert lower["y"][i] == pytest.approx(details["baseline"] + details["change_low"])
        assert upper["y"][i] == pytest.approx(details["baseline"] + details["change_high"])
        # the performance signal fires exactly when the whole band lies under the tolerance
        assert signal.fired == (upper["y"][i] < tolerance["y"][i])
        assert line["y"][i] == pytest.approx(details["current"])
    assert checked >= 4 and any(
        reader.report("sea", r).signals["performance"].fired for r in runs.values()
        if reader.report("sea", r).signals
    )  # fmt: skip


def test_the_band_says_the_confidence_the_decision_uses(own) -> None:
    from calmops.web.reader import Reader

    ws = own.workspace()
    ws.update("sea", {"decision": {"confidence": 0.95}})
    view = build_runs(Reader(ws), "sea")
    names = {t["name"] for t in find(view, "runs-metric")["figure"]["data"]}
    assert "95% interval the decision used" in names
    assert "the 95% interval the decision used" in find(view, "runs-metric")["note"]


def test_event_lanes_do_not_hide_each_other(reader) -> None:
    view = build_runs(reader, "sea")
    figure = find(view, "runs-metric")["figure"]
    traces = _traces(view)
    lanes = {name: traces[name] for name in ("signal fired", "retrained", "promoted")}
    assert all(t["yaxis"] == "y2" for t in lanes.values())
    assert {t["y"][0] for t in lanes.values()} == {"signal fired", "retrained", "promoted"}
    runs = reader.runs("sea")
    retrained = [r.id for r in runs if r.decision in ("train", "retrain")]
    assert sorted(lanes["retrained"]["customdata"]) == sorted(retrained)
    fired = [r.id for r in runs if any((r.summary.get("signals") or {}).values())]
    assert sorted(lanes["signal fired"]["customdata"]) == sorted(fired)
    main, strip = figure["layout"]["yaxis"]["domain"], figure["layout"]["yaxis2"]["domain"]
    assert strip[1] < main[0]  # the lanes sit under the metric, never on it


def test_dates_on_the_x_axis_run_numbers_on_hover(reader) -> None:
    view = build_runs(reader, "sea")
    for section in ("runs-metric", "runs-timeline"):
        found = find(view, section)
        assert found["figure"]["layout"]["xaxis"]["type"] == "date"
        for trace in found["figure"]["data"]:
            for x in trace["x"]:
                datetime.strptime(x, "%Y-%m-%d %H:%M:%S.%f")
        runs = [t for t in found["figure"]["data"] if t.get("text")]
        assert all(text.startswith("run ") for t in runs for text in t["text"])
        links = found["click"]["links"]
        assert found["click"]["by"] == "customdata"
        ids = {i for t in found["figure"]["data"] for i in t.get("customdata", [])}
        assert ids and all(links[i] == f"/pipelines/sea/runs/{i}" for i in ids)


def test_the_drift_measure_over_time_has_its_threshold_even_with_one_run(reader) -> None:
    for limit in (60, 1):
        view = build_drift(reader, "sea", limit=limit)
        choices = find(view, "drift-feature")["choices"]
        traces = {t["name"]: t for t in choices["x0"]["data"] if t.get("xaxis") == "x2"}
        measure = traces["Wasserstein (effect size)"]
        threshold = traces["threshold"]
        assert len(measure["x"]) == len(threshold["x"]) >= 1
        assert set(threshold["y"]) == {0.1} and "markers" in threshold["mode"]
        assert choices["x0"]["layout"]["xaxis2"]["type"] == "date"
        run = reader.runs("sea", limit=1)[0]
        entry = reader.report("sea", run).drift["features"]["x0"]
        assert measure["y"][-1] == pytest.approx(entry["effect"]["value"])
    assert len(measure["x"]) == 1  # limit 1: one tested run
