"""The alerts dict: every alert of the workspace's runs, newest first, filtered, paged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calmops.errors import PipelineNotFoundError, SpecError
from calmops.store import RunOutcome, RunRecord
from calmops.web.reader import Reader
from calmops.web.sections import find
from calmops.web.views.alerts import build_alerts


def test_every_alert_newest_first_with_time_and_link(reader) -> None:
    view = build_alerts(reader)
    alerts = view["alerts"]
    assert view["total"] == len(alerts) >= 10
    times = [a["at"] for a in alerts]
    assert times == sorted(times, reverse=True)
    assert {a["pipeline"] for a in alerts} >= {"sea", "broken"}
    [failed] = [a for a in alerts if a["kind"] == "failed"]
    assert failed["pipeline"] == "broken" and failed["title"] == "run failed"
    assert failed["detail"].startswith("bad.csv: ")  # no server folder shown
    assert failed["url"] == f"/pipelines/broken/runs/{failed['run_id']}"
    drift = [a for a in alerts if a["pipeline"] == "sea" and a["title"] == "data drift"]
    assert drift and all("features drifted" in a["detail"] for a in drift)
    assert view["counts"]["failed"] == 1
    assert view["counts"]["signal"] == view["total"] - 1
    rows = find(view, "alerts-table")["rows"]
    assert len(rows) == len(alerts)
    assert rows[0][0]["time"] == alerts[0]["at"]


def test_a_run_keeps_its_alerts_in_order_of_weight(reader) -> None:
    sea = build_alerts(reader, pipeline="sea")["alerts"]
    last = [a["title"] for a in sea if a["run_id"] == sea[0]["run_id"]]
    assert last[0] == "data drift"  # the run's own order, not alphabetical


def test_filters_by_pipeline_and_kind(reader) -> None:
    sea = build_alerts(reader, pipeline="sea")
    assert sea["total"] > 0 and {a["pipeline"] for a in sea["alerts"]} == {"sea"}
    failed = build_alerts(reader, kind="failed")
    assert [a["pipeline"] for a in failed["alerts"]] == ["broken"]
    assert build_alerts(reader, pipeline="sea", kind="failed")["total"] == 0
    assert sea["filters"]["pipeline"] == "sea"
    assert "fresh" in sea["filters"]["pipelines"]


def test_unknown_names_are_refused(reader) -> None:
    with pytest.raises(PipelineNotFoundError):
        build_alerts(reader, pipeline="ghost")
    with pytest.raises(SpecError, match="choose from failed, breaker, signal, chance, alert"):
        build_alerts(reader, kind="drift")


def test_pages_split_the_list_without_overlap(reader) -> None:
    whole = build_alerts(reader)["alerts"]
    first = build_alerts(reader, limit=4)
    second = build_alerts(reader, limit=4, offset=4)
    assert first["total"] == second["total"] == len(whole)
    assert [a["key"] for a in first["alerts"] + second["alerts"]] == [a["key"] for a in whole[:8]]
    assert first["pages"] == {"previous": None, "next": "/alerts?offset=4"}
    assert second["pages"]["previous"] == "/alerts"
    assert "Showing 5–8 of" in find(second, "alerts-table")["note"]
    kind = build_alerts(reader, kind="signal", pipeline="sea", limit=2)
    assert kind["pages"]["next"] == "/alerts?pipeline=sea&kind=signal&offset=2"


def test_nothing_matched_says_so(reader) -> None:
    view = build_alerts(reader, kind="breaker")
    assert view["alerts"] == [] and view["total"] == 0
    assert "No circuit breaker opened alerts" in find(view, "alerts-empty")["text"]


def record(ws, name: str, run_id: str, at: datetime, **fields) -> None:
    """A finished run written through the store (as the runner commits one)."""
    ws.store.runs.begin(RunRecord(run_id, name, "running", started_at=at))
    done = RunRecord(run_id, name, fields.pop("status", "succeeded"), started_at=at,
                     finished_at=at + timedelta(seconds=2), **fields)  # fmt: skip
    ws.store.runs.finish(RunOutcome(done))


def test_breaker_chance_and_alert_decisions_are_listed(own) -> None:
    ws = own.workspace()
    now = datetime.now(UTC) + timedelta(hours=1)  # newer than every run of the session
    chance = "the champion v1 is no better than chance on recent data: f1 0.41 vs 0.40"
    record(
        ws,
        "reg",
        "r-breaker",
        now,
        status="failed",
        error="the feature store is down",
        summary={"breaker_opened": {"failures": 3, "retry_at": "2030-01-01T00:00:00+00:00"}},
    )
    record(
        ws,
        "fresh",
        "r-alert",
        now + timedelta(minutes=1),
        decision="alert",
        summary={"reason": "estimated f1 fell from 0.9 to 0.6; no labels to retrain on"},
    )
    record(ws, "sea", "r-chance", now + timedelta(minutes=2), decision="retrain",
           summary={"attention": [chance]})  # fmt: skip
    view = build_alerts(Reader(ws), limit=4)
    assert [(a["pipeline"], a["kind"]) for a in view["alerts"]] == [
        ("sea", "chance"),
        ("fresh", "alert"),
        ("reg", "failed"),
        ("reg", "breaker"),
    ]
    assert view["alerts"][0]["detail"] == chance
    assert view["alerts"][3]["detail"] == (
        "3 consecutive failures: retraining paused until 2030-01-01 00:00 UTC"
    )
    counts = view["counts"]
    assert (counts["breaker"], counts["chance"], counts["alert"], counts["failed"]) == (1, 1, 1, 2)
