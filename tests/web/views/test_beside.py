"""Realized performance beside its estimate and the drift of predictions and labels (issue
18, item 11)."""

from __future__ import annotations

import pytest

from calmops.web.sections import find
from calmops.web.views.performance import build_performance


def test_each_batch_shows_realized_estimated_and_target_drift_side_by_side(reader) -> None:
    table = find(build_performance(reader, "sea"), "performance-beside")
    assert table["columns"][1:6] == ["realized balanced accuracy",
                                     "estimated balanced accuracy [interval]", "data drift",
                                     "prediction drift", "label drift"]  # fmt: skip
    runs = [r for r in reader.runs("sea") if r.summary.get("signals")]
    assert len(table["rows"]) == len(runs)
    for row, run in zip(table["rows"], runs, strict=True):
        estimation = run.summary["estimation"]
        realized = run.summary["metrics"]["balanced_accuracy"]
        outside = not estimation["low"] <= realized <= estimation["high"]
        shown = row[1]["badge"].split(",")[0] if outside else row[1]
        assert float(shown) == pytest.approx(realized, abs=1e-3)
        assert outside == isinstance(row[1], dict)
        assert row[2].startswith(f"{estimation['estimated']:.3f} [")
        fired = run.summary["signals"]["prediction"]
        assert row[4]["badge"] == ("drift" if fired else "no drift")
        if fired:
            assert "predictions drifted" in row[6]
    newest = table["rows"][0]
    assert newest[3]["tone"] == "bad"  # x0 moved in the newest batch


def test_a_pipeline_without_runs_that_tested_anything_has_no_table(reader) -> None:
    with pytest.raises(KeyError):
        find(build_performance(reader, "blocky"), "performance-beside")


def test_performance_charts_name_runs_as_the_runs_tab_does(reader) -> None:
    from calmops.web.views.runs import build_runs

    files = {r["file"] for r in build_runs(reader, "sea")["runs"]}
    page = build_performance(reader, "sea")
    for section in ("performance-history", "performance-estimated"):
        fig = find(page, section)["figure"]
        xs = {x for trace in fig["data"] for x in trace.get("x") or []}
        assert xs and xs <= files, section  # batch files, not counts of succeeded runs
        assert fig["layout"]["xaxis"]["type"] == "category"
