"""Triggers by name: what makes a pipeline run (``trigger.type`` in the spec).

Adding a trigger is one class deriving from :class:`Trigger` in its own module and one
``TRIGGERS.register`` line below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calmops.monitor.triggers.base import Trigger, TriggerSink
from calmops.monitor.triggers.manual import ManualTrigger
from calmops.monitor.triggers.schedule import ScheduleTrigger, parse_interval, parse_schedule
from calmops.monitor.triggers.watch import WatchTrigger
from calmops.registry import Registry

if TYPE_CHECKING:
    from calmops.spec import PipelineSpec

__all__ = [
    "TRIGGERS",
    "ManualTrigger",
    "ScheduleTrigger",
    "Trigger",
    "TriggerSink",
    "WatchTrigger",
    "parse_interval",
    "parse_schedule",
    "trigger_for",
]

TRIGGERS: Registry[type[Trigger]] = Registry("trigger")
"""Trigger classes by name (the spec's ``trigger.type``)."""
TRIGGERS.register(ManualTrigger)
TRIGGERS.register(ScheduleTrigger)
TRIGGERS.register(WatchTrigger)


def trigger_for(spec: PipelineSpec) -> Trigger:
    """The trigger the spec asks for.

    Examples
    --------
    >>> from calmops.spec import PipelineSpec
    >>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "in"}})
    >>> type(trigger_for(spec)).__name__
    'ManualTrigger'
    """
    return TRIGGERS.get(spec.trigger.type)(spec)
