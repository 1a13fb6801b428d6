"""The schedule trigger: a cron string or an interval, in a configurable time zone.

Each tick only queues a folder scan, so the scheduler's job returns at once; ticks that come
while a batch runs collapse into one scan (coalesced), and one worker per pipeline means two
runs of a pipeline never overlap. APScheduler also coalesces ticks missed while the process
was suspended into one.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from calmops.errors import SpecError
from calmops.monitor.triggers.base import Trigger, TriggerSink

__all__ = ["ScheduleTrigger", "parse_interval", "parse_schedule"]

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

    def start(self, sink: TriggerSink) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        settings = self.spec.trigger
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
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def next_tick(self) -> datetime | None:
        return None if self._job is None else self._job.next_run_time

    def describe(self) -> str:
        return f"schedule {self.spec.trigger.schedule} ({self.spec.trigger.timezone})"
