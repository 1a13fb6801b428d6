"""Every trigger is registered by name, builds from a spec, describes itself and stops."""

from __future__ import annotations

import pytest

from calmops.errors import RegistryError
from calmops.monitor.triggers import TRIGGERS, Trigger, trigger_for
from calmops.spec import PipelineSpec


def _spec(kind: str, tmp_path) -> PipelineSpec:
    trigger = {"type": kind} | ({"schedule": "10m"} if kind == "schedule" else {})
    return PipelineSpec.from_dict(
        {"name": "demo", "data": {"dir": str(tmp_path)}, "trigger": trigger}
    )


@pytest.mark.parametrize("kind", sorted(TRIGGERS))
def test_each_trigger_builds_describes_and_stops(kind: str, tmp_path, recorder) -> None:
    trigger = trigger_for(_spec(kind, tmp_path))
    assert isinstance(trigger, Trigger) and trigger.name == kind
    assert type(trigger).__doc__ and kind in trigger.describe()
    trigger.start(recorder)
    trigger.stop()


def test_an_unknown_trigger_lists_the_choices(tmp_path) -> None:
    spec = _spec("manual", tmp_path)
    odd = spec.model_copy(update={"trigger": spec.trigger.model_copy(update={"type": "cron"})})
    with pytest.raises(
        RegistryError, match="no trigger 'cron'; choose from manual, schedule, watch"
    ):
        trigger_for(odd)
