"""The Drift tab dict: heatmap, per-feature overlay and history, features, quality."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.drift import build_drift


def test_heatmap_features_by_runs(reader) -> None:
    view = build_drift(reader, "sea")
    heat = find(view, "drift-heatmap")["figure"]["data"][0]
    assert heat["type"] == "heatmap" and heat["y"] == ["x0", "x1", "x2"]
    assert len(heat["x"]) == 5  # every run after the first was tested
    x0 = heat["z"][0]
    assert x0[-1] == max(v for v in x0 if v is not None)  # the moved batch stands out
    assert heat["text"][0][-1].endswith(" ●")  # the drifted cell is marked
    assert not heat["text"][1][-1].endswith("●")
    assert "KS statistic" in heat["customdata"][0][-1]


def test_per_feature_overlay_and_history(reader) -> None:
    choices = find(build_drift(reader, "sea"), "drift-feature")["choices"]
    traces = {t["name"]: t for t in choices["x0"]["data"]}
    measure = "Wasserstein (effect size)"  # what drift needs besides a significant KS test
    assert {"reference", "current", measure, "threshold"} <= set(traces)
    assert len(traces[measure]["y"]) == 5 and traces[measure]["xaxis"] == "x2"


def test_feature_table_puts_drifted_first(reader) -> None:
    view = build_drift(reader, "sea")
    rows = find(view, "drift-features")["rows"]
    assert rows[0][0] == "x0" and rows[0][6] == {"badge": "drift", "tone": "bad"}
    assert find(view, "drift-kpis")["items"][4]["value"] == "yes"
    assert find(view, "drift-multivariate")["kind"] == "notice"
    quality = find(view, "drift-quality")
    assert quality["kind"] in ("table", "notice")


def test_first_run_and_no_runs(reader) -> None:
    assert "No runs yet" in find(build_drift(reader, "fresh"), "drift-empty")["text"]
    assert "No drift tested yet" in find(build_drift(reader, "broken"), "drift-none")["text"]


def test_prediction_and_label_drift_over_runs(reader) -> None:
    view = build_drift(reader, "sea")
    history = find(view, "drift-target-history")["figure"]["data"]
    traces = {t["name"]: t for t in history}
    expected = {"predictions: predicted class", "predictions: probability of 1", "labels: label"}
    assert expected <= set(traces) and "alpha 0.05" in traces
    heatmap = find(view, "drift-heatmap")["figure"]["data"][0]["x"]
    assert traces["labels: label"]["x"] == heatmap and len(heatmap) == 5  # every tested run
    assert all(y is not None and y >= 0 for y in traces["predictions: predicted class"]["y"])
    assert "share of class" in traces["labels: label"]["text"][-1]
    rows = find(view, "drift-target")["rows"]
    assert [r[:3] for r in rows] == [
        ["predictions", "predicted class", "Z"],
        ["predictions", "probability of 1", "KS"],
        ["labels", "label", "Z"],
    ]
    assert rows[0][6]["badge"] in ("drift", "no_drift") and rows[0][7].startswith("predicted share")
