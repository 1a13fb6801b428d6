"""The schedule trigger when the wall clock jumps (NTP, a suspended VM, a manual change):
an interval keeps ticking on the monotonic clock, whatever the wall clock does."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import apscheduler.schedulers.base
import pytest
from tests.harness import wait_for

from calmops.monitor.triggers.schedule import IntervalTicker, ScheduleTrigger
from calmops.spec import PipelineSpec


class _Sink:
    def __init__(self) -> None:
        self.scans = 0

    def scan(self, follow_young: bool = False) -> None:
        self.scans += 1


class _WallClock(datetime):
    """``datetime`` whose ``now`` can be set back, as a wall clock can."""

    back = timedelta(0)

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) - cls.back


@pytest.mark.parametrize("jump", [timedelta(hours=1), -timedelta(hours=1)])
def test_an_interval_keeps_ticking_when_the_wall_clock_jumps(monkeypatch, jump) -> None:
    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", _WallClock)
    spec = PipelineSpec.from_dict(
        {
            "name": "demo",
            "data": {"dir": "in"},
            "trigger": {"type": "schedule", "schedule": "100ms"},
        }
    )
    trigger, sink = ScheduleTrigger(spec), _Sink()
    trigger.start(sink)
    try:
        wait_for(lambda: sink.scans >= 2, what="the first ticks")
        _WallClock.back = jump  # the clock is set back (or forward) by an hour
        before = sink.scans
        wait_for(lambda: sink.scans >= before + 5, timeout=10, what="ticks after the jump")
    finally:
        trigger.stop()
        _WallClock.back = timedelta(0)
    assert trigger.next_tick() is not None


def test_ticks_missed_during_a_long_scan_coalesce_into_one() -> None:
    began = []

    def slow_scan() -> None:
        began.append(time.monotonic())
        time.sleep(0.35)  # a batch three and a half intervals long

    ticker = IntervalTicker(0.1, slow_scan)
    ticker.start()
    time.sleep(2.0)
    ticker.stop()
    gaps = [b - a for a, b in zip(began, began[1:], strict=False)]
    assert 2 <= len(began) <= 6, began  # not the dozen a queue of missed ticks would give
    assert all(gap >= 0.35 + 0.1 - 0.02 for gap in gaps), gaps  # one interval after the late one


def test_stop_ends_the_thread_promptly() -> None:
    ticker = IntervalTicker(3600, lambda: None)
    ticker.start()
    began = time.monotonic()
    ticker.stop()
    assert not ticker._thread.is_alive() and time.monotonic() - began < 1.0
