"""The schedule trigger: a cron string or an interval, in a configurable time zone.

Each tick only queues a folder scan, so the scheduler's job returns at once; ticks that come
while a batch runs collapse into one scan (coalesced), and one worker per pipeline means two
runs of a pipeline never overlap.

Clock jumps: an interval (``30s``, ``10m``) runs on the monotonic clock (:class:`IntervalTicker`),
so setting the wall clock back or forward changes nothing (a wall-clock scheduler would stop
ticking for as long as the clock went back). A cron string is about wall time by nature:
APScheduler follows the clock, and ticks missed by a forward jump (or a suspended process)
coalesce into one.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from calmops.errors import SpecError
from calmops.monitor.triggers.base import Trigger, TriggerSink

__all__ = ["IntervalTicker", "ScheduleTrigger", "parse_interval", "parse_schedule"]

_INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> timedelta | None:
    """``"30s"`` -> 30 seconds; ``None`` when ``text`` is not an interval.

    Examples
    --------
    >>> parse_interval("10m"), parse_interval("1.5h"), parse_interval("*/5 * * * *")
    (datetime.timedelta(seconds=600), datetime.timedelta(seconds=5400), None)
    """
    match = _INTERVAL.match(text.strip())
    if match is None:
        return None
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_schedule(text: str, timezone: str = "UTC") -> Any:
    """The APScheduler trigger for a cron string or an interval.

    Examples
    --------
    >>> parse_schedule("30s")
    <IntervalTrigger (interval=datetime.timedelta(seconds=30), ...)>
    >>> parse_schedule("0 3 * * 1", "Europe/Madrid")
    <CronTrigger (month='*', day='*', day_of_week='1', hour='3', minute='0', timezone=...)>
    >>> parse_schedule("0 25 * * *")
    Traceback (most recent call last):
    calmops.errors.SpecError: trigger.schedule: ...
    """
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    zone = ZoneInfo(timezone)
    interval = parse_interval(text)
    if interval is not None:
        if interval.total_seconds() <= 0:
            raise SpecError(f"trigger.schedule: an interval must be positive (got {text!r})")
        return IntervalTrigger(seconds=interval.total_seconds(), timezone=zone)
    try:
        return CronTrigger.from_crontab(text, timezone=zone)
    except ValueError as error:
        raise SpecError(f"trigger.schedule: {text!r} is not a valid cron string: {error}") from None


class ScheduleTrigger(Trigger):
    """Scans the data folder on each tick of ``trigger.schedule``.

    Examples
    --------
    >>> from calmops.spec import PipelineSpec
    >>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "in"},
    ...     "trigger": {"type": "schedule", "schedule": "*/10 * * * *"}})
    >>> ScheduleTrigger(spec).describe()
    'schedule */10 * * * * (UTC)'
    """

    name = "schedule"

    def __init__(self, spec) -> None:
        super().__init__(spec)
        self._scheduler = None
        self._job = None
        self._ticker: IntervalTicker | None = None

    def start(self, sink: TriggerSink) -> None:
        settings = self.spec.trigger
        interval = parse_interval(settings.schedule)
        if interval is not None:
            parse_schedule(settings.schedule, settings.timezone)  # the same checks
            self._ticker = IntervalTicker(interval.total_seconds(), sink.scan)
            self._ticker.start()
        else:
            from apscheduler.schedulers.background import BackgroundScheduler

            trigger = parse_schedule(settings.schedule, settings.timezone)
            self._scheduler = BackgroundScheduler(
                timezone=trigger.timezone,
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            )
            self._job = self._scheduler.add_job(
                sink.scan, trigger, id=f"calmops-{self.spec.name}", name=f"scan {self.spec.name}"
            )
            self._scheduler.start()
        if settings.run_at_start:
            sink.scan()

    def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def next_tick(self) -> datetime | None:
        if self._ticker is not None:
            from zoneinfo import ZoneInfo

            return self._ticker.next_tick().astimezone(ZoneInfo(self.spec.trigger.timezone))
        return None if self._job is None else self._job.next_run_time

    def describe(self) -> str:
        return f"schedule {self.spec.trigger.schedule} ({self.spec.trigger.timezone})"


class IntervalTicker:
    """Calls ``tick`` every ``seconds`` on the monotonic clock, from its own thread.

    A tick that falls due while the previous one is still running is not queued up: the
    next comes one interval after the late one (missed ticks coalesce). Wall-clock jumps do
    not move it.

    Examples
    --------
    >>> ticks = []
    >>> ticker = IntervalTicker(0.01, lambda: ticks.append(1))
    >>> ticker.start(); time.sleep(0.2); ticker.stop()
    >>> len(ticks) >= 3
    True
    """

    def __init__(self, seconds: float, tick, clock=time.monotonic) -> None:
        self.seconds = seconds
        self._tick = tick
        self._clock = clock
        self._stopped = threading.Event()
        self._due = clock() + seconds
        self._thread = threading.Thread(target=self._loop, name="calmops-interval", daemon=True)

    def start(self) -> None:
        """Begin ticking (the first tick one interval from now)."""
        self._due = self._clock() + self.seconds
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking; returns once the thread has ended (or after a second)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=1.0)

    def next_tick(self) -> datetime:
        """When the next tick comes, as an aware UTC time (for ``calmops status``)."""
        return datetime.now(UTC) + timedelta(seconds=max(self._due - self._clock(), 0.0))

    def _loop(self) -> None:
        while not self._stopped.wait(max(self._due - self._clock(), 0.0)):
            self._tick()
            self._due += self.seconds
            if self._due <= self._clock():  # late: coalesce what was missed
                self._due = self._clock() + self.seconds
