"""Triggers by name: what makes a pipeline run (``trigger.type`` in the spec).

Adding a trigger is one class deriving from :class:`Trigger` and one line in ``TRIGGERS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calmops.errors import RegistryError
from calmops.monitor.triggers.base import Trigger, TriggerSink
from calmops.monitor.triggers.manual import ManualTrigger
from calmops.monitor.triggers.schedule import ScheduleTrigger, parse_interval, parse_schedule
from calmops.monitor.triggers.watch import WatchTrigger

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

TRIGGERS: dict[str, type[Trigger]] = {
    ManualTrigger.name: ManualTrigger,
    ScheduleTrigger.name: ScheduleTrigger,
    WatchTrigger.name: WatchTrigger,
}


def trigger_for(spec: PipelineSpec) -> Trigger:
    """The trigger the spec asks for.

    Examples
    --------
    >>> from calmops.spec import PipelineSpec
    >>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "in"}})
    >>> type(trigger_for(spec)).__name__
    'ManualTrigger'
    """
    kind = spec.trigger.type
    if kind not in TRIGGERS:
        raise RegistryError(f"no trigger {kind!r}; choose from {', '.join(sorted(TRIGGERS))}")
    return TRIGGERS[kind](spec)
