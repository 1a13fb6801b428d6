"""A run's alerts, read from its store record (and its report for signal sentences)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from calmops.alerts import alerts_of_run, breaker_opening
from calmops.store import BreakerState, RunRecord

AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def run(**fields) -> RunRecord:
    base = {"id": "r1", "pipeline": "sea", "status": "succeeded", "started_at": AT,
            "finished_at": AT + timedelta(seconds=5)}  # fmt: skip
    return RunRecord(**(base | fields))


def test_a_quiet_run_raises_nothing() -> None:
    quiet = run(decision="no_drift", summary={"signals": {"data": False}, "attention": []})
    assert alerts_of_run(quiet) == []


def test_every_kind_is_found_with_its_words() -> None:
    chance = "the champion v2 is no better than chance on recent data: f1 0.50 vs 0.52"
    noisy = run(
        status="succeeded",
        decision="alert",
        summary={
            "signals": {"data": True, "estimated_performance": True, "detector": False},
            "reason": "estimated accuracy fell from 0.9 to 0.7; no labels to retrain on",
            "attention": [chance, "something else"],
            "breaker_opened": {"failures": 3, "retry_at": "2026-03-01T12:30:00+00:00"},
        },
    )
    found = {(a.kind, a.title): a.detail for a in alerts_of_run(noisy)}
    assert set(found) == {
        ("breaker", "circuit breaker opened"),
        ("alert", "estimated performance fell"),
        ("chance", "no better than chance"),
        ("signal", "data drift"),
        ("signal", "estimated performance drop"),
    }
    assert found[("breaker", "circuit breaker opened")] == (
        "3 consecutive failures: retraining paused until 2026-03-01 12:30 UTC"
    )
    assert found[("chance", "no better than chance")] == chance
    assert found[("alert", "estimated performance fell")].startswith("estimated accuracy fell")


def test_keys_are_unique_and_stable_and_time_is_the_end() -> None:
    record = run(summary={"signals": {"data": True, "performance": True}})
    first, again = alerts_of_run(record), alerts_of_run(record)
    assert [a.key for a in first] == [a.key for a in again]
    assert len({a.key for a in first}) == 2
    assert first[0].key == "sea/r1/signal/data"
    assert first[0].at == AT + timedelta(seconds=5)


def test_a_signal_sentence_comes_from_the_report() -> None:
    record = run(summary={"signals": {"data": True}})
    report = {"signals": {"data": {"fired": True, "summary": "2 of 3 features drifted"}}}
    assert alerts_of_run(record, report)[0].detail == "2 of 3 features drifted"


def test_a_failed_run_says_its_error() -> None:
    [alert] = alerts_of_run(run(status="failed", error="bad.csv: not a table"))
    assert (alert.kind, alert.detail) == ("failed", "bad.csv: not a table")
    assert alerts_of_run(run(status="failed"))[0].detail == "no reason recorded"


def test_only_an_opening_of_the_breaker_counts() -> None:
    now = AT
    opened = BreakerState("open", 3, now, now + timedelta(minutes=30))
    assert breaker_opening(BreakerState("closed", 2), opened) == {
        "failures": 3,
        "retry_at": "2026-03-01T12:30:00+00:00",
    }
    assert breaker_opening(opened, opened) is None  # unchanged: no new opening
    assert breaker_opening(BreakerState("closed", 1), BreakerState("closed", 2)) is None
    assert breaker_opening(opened, None) is None  # the run did not touch the breaker
