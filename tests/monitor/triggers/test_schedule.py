"""The schedule trigger: cron or interval, a time zone, ticks that only queue a scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calmops.errors import SpecError
from calmops.monitor.triggers import ScheduleTrigger, parse_interval, parse_schedule
from calmops.spec import PipelineSpec


def _trigger(schedule: str, **options) -> ScheduleTrigger:
    trigger = {"type": "schedule", "schedule": schedule} | options
    spec = {"name": "demo", "data": {"dir": "in"}, "trigger": trigger}
    return ScheduleTrigger(PipelineSpec.from_dict(spec))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("500ms", 0.5), ("30s", 30), ("10m", 600), ("1h", 3600), ("1.5h", 5400), ("2d", 172800)],
)
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == timedelta(seconds=seconds)


def test_cron_in_a_time_zone_fires_at_local_midnight() -> None:
    cron = parse_schedule("0 0 * * *", "America/New_York")
    start = datetime(2026, 7, 1, 12, tzinfo=UTC)
    fire = cron.get_next_fire_time(None, start)
    assert fire.astimezone(UTC) == datetime(2026, 7, 2, 4, tzinfo=UTC)  # EDT is UTC-4


def test_a_bad_cron_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="not a valid cron string"):
        parse_schedule("61 * * * *")


def test_ticks_queue_scans_and_report_the_next_tick(recorder, wait_for) -> None:
    trigger = _trigger("200ms")
    trigger.start(recorder)
    try:
        assert recorder.of("scan") == []  # no run at start unless asked
        wait_for(lambda: len(recorder.of("scan")) >= 3, what="three ticks")
        assert trigger.next_tick() > datetime.now(UTC) - timedelta(seconds=1)
    finally:
        trigger.stop()
    assert trigger.describe() == "schedule 200ms (UTC)"


def test_run_at_start(recorder) -> None:
    trigger = _trigger("0 3 * * *", run_at_start=True, timezone="Asia/Tokyo")
    trigger.start(recorder)
    try:
        assert recorder.of("scan") == [(False,)]
        tick = trigger.next_tick()
        assert tick.utcoffset() == timedelta(hours=9) and tick.hour == 3
    finally:
        trigger.stop()
