"""The steps of a run, in order: each is ``(RunContext) -> str`` (a short note).

load → prepare → score → monitor → decide → learn → retain; the runner times each and
records it. Kinds and triggers plug into this chain; they never copy it.
"""

from __future__ import annotations

from calmops.pipeline.steps.decide import decide_step
from calmops.pipeline.steps.learn import learn
from calmops.pipeline.steps.load import load
from calmops.pipeline.steps.monitor import monitor
from calmops.pipeline.steps.prepare import prepare
from calmops.pipeline.steps.retain import retain
from calmops.pipeline.steps.score import score

__all__ = ["STEPS"]

STEPS = (
    ("load", load),
    ("prepare", prepare),
    ("score", score),
    ("monitor", monitor),
    ("decide", decide_step),
    ("learn", learn),
    ("retain", retain),
)
