"""The Performance tab dict: metric history and estimated against realized performance."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.performance import build_performance


def test_history_of_every_metric(reader) -> None:
    history = find(build_performance(reader, "reg"), "performance-history")["figure"]
    names = {t["name"] for t in history["data"]}
    assert {"rmse", "mae"} <= names
    kpis = {
        k["label"]: k["value"]
        for k in find(build_performance(reader, "reg"), "performance-kpis")["items"]
    }
    assert kpis["task"] == "regression" and kpis["champion"] == "v1"


def test_no_estimate_without_one_in_the_reports(reader) -> None:
    ids = [s["id"] for s in build_performance(reader, "sea")["sections"]]
    assert "performance-estimated" not in ids
    assert "performance-no-champion" in [
        s["id"] for s in build_performance(reader, "blocky")["sections"]
    ]


def test_estimated_against_realized(own) -> None:
    from calmops.store import RunOutcome, RunRecord, utcnow
    from calmops.web.reader import Reader

    ws = own.workspace()
    for i, (estimated, realized) in enumerate([(0.81, 0.8), (0.75, None)]):
        details = {"metric": "balanced_accuracy", "estimated": estimated}
        metrics = {} if realized is None else {"balanced_accuracy": realized}
        report = {
            "signals": {"estimate": {"fired": False, "summary": "cbpe", "details": details}},
            "metrics": {"champion_on_batch": metrics},
        }
        run = RunRecord(id=f"29990101T00000{i}-est", pipeline="sea", status="running")
        ws.store.runs.begin(run)
        summary = {"signals": {"estimate": False}, "metrics": metrics, "rows": 100}
        ws.store.runs.finish(
            RunOutcome(
                RunRecord(id=run.id, pipeline="sea", status="succeeded", started_at=run.started_at,
                          finished_at=utcnow(), decision="no_drift", summary=summary,
                          report=report)
            )
        )  # fmt: skip
    figure = find(build_performance(Reader(ws), "sea"), "performance-estimated")
    traces = {t["name"]: t["y"] for t in figure["figure"]["data"]}
    assert traces == {"estimated": [0.81, 0.75], "realized": [0.8, None]}
    assert figure["title"] == "Estimated against realized balanced_accuracy"
