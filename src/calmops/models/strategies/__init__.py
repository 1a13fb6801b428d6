"""Retraining strategies, registered by name (the spec's ``retrain.strategy``).

To add one: write a class with ``name`` and ``fit(context) -> Trained`` in its own module and
register it below.
"""

from __future__ import annotations

from calmops.errors import RegistryError
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

STRATEGIES: dict[str, RetrainStrategy] = {
    strategy.name: strategy
    for strategy in (Full(), Window(), Incremental(), Stacking(), Replay(), Recalibrate())
}


def get_strategy(name: str) -> RetrainStrategy:
    """The strategy called ``name``; the error lists the valid names."""
    if name not in STRATEGIES:
        raise RegistryError(
            f"no retrain strategy '{name}'; choose from {', '.join(sorted(STRATEGIES))}"
        )
    return STRATEGIES[name]
