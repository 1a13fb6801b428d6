"""Retraining strategies, registered by name (the spec's ``retrain.strategy``).

To add one: write a class with ``name`` and ``fit(context) -> Trained`` in its own module and
register it below.
"""

from __future__ import annotations

from calmops.models.strategies.adaptive import Adaptive
from calmops.models.strategies.base import (
    Batch,
    RetrainStrategy,
    Trained,
    TrainingContext,
    concat,
)
from calmops.models.strategies.full import Full
from calmops.models.strategies.incremental import Incremental
from calmops.models.strategies.recalibrate import Recalibrate
from calmops.models.strategies.replay import Replay
from calmops.models.strategies.stacking import StackedModel, Stacking
from calmops.models.strategies.window import Window
from calmops.registry import Registry

__all__ = [
    "STRATEGIES",
    "Batch",
    "RetrainStrategy",
    "StackedModel",
    "Trained",
    "TrainingContext",
    "concat",
    "get_strategy",
]

STRATEGIES: Registry[RetrainStrategy] = Registry("retrain strategy")
"""Retraining strategies by name (the spec's ``retrain.strategy`` and ``retrain.fallback``)."""
STRATEGIES.register(Adaptive())
STRATEGIES.register(Full())
STRATEGIES.register(Window())
STRATEGIES.register(Incremental())
STRATEGIES.register(Stacking())
STRATEGIES.register(Replay())
STRATEGIES.register(Recalibrate())


def get_strategy(name: str) -> RetrainStrategy:
    """The strategy called ``name``; the error lists the valid names."""
    return STRATEGIES.get(name)
