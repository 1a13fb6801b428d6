"""The manual trigger: never wakes on its own (``calmops run NAME --once`` runs it)."""

from __future__ import annotations

from calmops.monitor.triggers.base import Trigger, TriggerSink

__all__ = ["ManualTrigger"]


class ManualTrigger(Trigger):
    """A trigger that stays silent; a monitor of a manual pipeline only waits.

    Examples
    --------
    >>> from calmops.spec import PipelineSpec
    >>> trigger = ManualTrigger(PipelineSpec.from_dict({"name": "demo", "data": {"dir": "in"}}))
    >>> trigger.start(sink=None); trigger.describe()
    'manual (runs with `calmops run demo --once`)'
    """

    name = "manual"

    def start(self, sink: TriggerSink) -> None:
        return None

    def describe(self) -> str:
        return f"manual (runs with `calmops run {self.spec.name} --once`)"
