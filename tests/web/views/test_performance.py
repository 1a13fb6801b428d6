"""The Performance tab dict: metric history and estimated against realized performance."""

from __future__ import annotations

import pytest

from calmops.web.sections import find
from calmops.web.views.performance import build_performance


def test_history_of_every_metric(reader) -> None:
    history = find(build_performance(reader, "reg"), "performance-history")["figure"]
    names = {t["name"] for t in history["data"]}
    assert {"RMSE", "MAE"} <= names
    kpis = {
        k["label"]: k["value"]
        for k in find(build_performance(reader, "reg"), "performance-kpis")["items"]
    }
    assert kpis["task"] == "regression" and kpis["champion"] == "v1"


def test_no_estimate_without_one_in_the_runs(reader) -> None:
    assert "performance-no-champion" in [
        s["id"] for s in build_performance(reader, "blocky")["sections"]
    ]


def test_estimated_against_realized(own) -> None:
    from calmops.store import RunOutcome, RunRecord, utcnow
    from calmops.web.reader import Reader

    ws = own.workspace()
    for i, (estimated, realized) in enumerate([(0.81, 0.8), (0.75, None)]):
        found = {"metric": "balanced_accuracy", "method": "cbpe", "trusted": True,
                 "estimated": estimated, "low": estimated - 0.05, "high": estimated + 0.05,
                 "realized": realized}  # fmt: skip
        metrics = {} if realized is None else {"balanced_accuracy": realized}
        run = RunRecord(id=f"29990101T00000{i}-est", pipeline="sea", status="running")
        ws.store.runs.begin(run)
        summary = {"estimation": found, "metrics": metrics, "rows": 100}
        ws.store.runs.finish(
            RunOutcome(
                RunRecord(id=run.id, pipeline="sea", status="succeeded", started_at=run.started_at,
                          finished_at=utcnow(), decision="no_drift", summary=summary, report={})
            )
        )  # fmt: skip
    figure = find(build_performance(Reader(ws), "sea"), "performance-estimated")
    traces = {t["name"]: t for t in figure["figure"]["data"]}
    assert traces["estimated (cbpe)"]["y"][-2:] == [0.81, 0.75]
    assert traces["realized"]["y"][-1] == 0.8  # only the labelled run has a realized value
    band = [t for t in figure["figure"]["data"] if t["name"] == "interval"]
    assert band[0]["y"][-2:] == pytest.approx([0.86, 0.8]) and band[1]["fill"] == "tonexty"
    assert band[1]["y"][-2:] == pytest.approx([0.76, 0.7])
    assert figure["title"] == "Estimated (without labels) against realized balanced accuracy"
