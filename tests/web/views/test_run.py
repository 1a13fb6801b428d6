"""The run page dict: one run explained."""

from __future__ import annotations

import pytest

from calmops.errors import RunNotFoundError
from calmops.web.format import metric_label
from calmops.web.sections import find
from calmops.web.views.run import build_run


def _run_id(reader, name: str, decision: str) -> str:
    return next(r.id for r in reader.runs(name) if (r.decision or r.status) == decision)


def test_a_retraining_run_explains_itself(reader) -> None:
    view = build_run(reader, "sea", _run_id(reader, "sea", "retrain"))
    assert find(view, "run-reason")["text"].startswith("retraining because")
    kpis = {k["label"]: k["value"] for k in find(view, "run-kpis")["items"]}
    assert kpis["decision"] == "retrain" and "→" in kpis["champion"]
    signals = {row[0]: row[1]["badge"] for row in find(view, "run-signals")["rows"]}
    expected = {"data", "performance", "detector", "prediction", "label", "estimated_performance"}
    assert set(signals) == expected
    assert "fired" in signals.values()
    challenger = find(view, "run-challengers")["rows"][0]
    assert challenger[4] == {"badge": "promoted", "tone": "ok"}
    steps = find(view, "run-timings")["figure"]["data"][0]["x"]
    assert steps[0] == "load" and "learn" in steps


def test_a_failed_run_and_an_unknown_one(reader) -> None:
    view = build_run(reader, "broken", _run_id(reader, "broken", "failed"))
    assert find(view, "run-reason")["tone"] == "bad"
    assert "bad.csv" in find(view, "run-reason")["text"]
    with pytest.raises(RunNotFoundError):
        build_run(reader, "sea", "nope")


def test_the_estimate_shows_beside_the_realized_values(reader) -> None:
    run_id = _run_id(reader, "sea", "retrain")
    report = reader.report("sea", reader.ws.store.runs.get("sea", run_id))
    section = find(build_run(reader, "sea", run_id), "run-estimation")
    assert section["columns"] == ["metric", "estimated", "interval", "realized"]
    rows = {row[0]: row for row in section["rows"]}
    assert set(rows) == {metric_label(m) for m in report.estimation.metrics}
    value = report.estimation.metrics["accuracy"]
    assert rows["accuracy"][1] == f"{value['estimated']:.3f}"
    assert rows["accuracy"][3] == f"{report.champion_metrics['accuracy']:.3f}"
    assert section["note"].startswith(f"{report.estimation.method}, ")
