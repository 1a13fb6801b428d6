"""The retraining-strategy interface and what every strategy is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from calmops.spec import RetrainSpec

__all__ = ["Batch", "RetrainStrategy", "Trained", "TrainingContext", "concat"]


@dataclass(frozen=True)
class Batch:
    """Labelled rows: features and target."""

    X: pd.DataFrame
    y: pd.Series

    def __len__(self) -> int:
        return len(self.y)


@dataclass(frozen=True)
class TrainingContext:
    """What a strategy may use.

    ``new`` is the current batch's training rows (its holdout is kept apart for evaluation);
    ``history`` the retained earlier batches, oldest first; ``champion`` the fitted champion
    (None before the first model); ``make_model`` builds a fresh unfitted model;
    ``change_start`` the first row of ``new`` after a concept change located in the batch;
    ``validation`` held-out rows of the newest data a strategy may choose with (never train on).
    """

    new: Batch
    history: tuple[Batch, ...]
    champion: Any | None
    make_model: Callable[[], Any]
    task: str
    settings: RetrainSpec = field(default_factory=RetrainSpec)
    seed: int = 0
    change_start: int | None = None
    validation: Batch | None = None


@dataclass(frozen=True)
class Trained:
    """A fitted challenger, the feature rows it learned from, and a sentence about them.

    ``features`` becomes the challenger's drift reference if it is promoted. ``labels`` is
    their target when the model is a fresh model fitted on exactly these rows: the training
    step may then refit it with the rows it was judged on once it has won.
    """

    model: Any
    features: pd.DataFrame
    description: str
    labels: pd.Series | None = None

    @property
    def rows(self) -> int:
        return len(self.features)


class RetrainStrategy(Protocol):
    """Builds a challenger from a :class:`TrainingContext`; one required method."""

    name: str

    def fit(self, context: TrainingContext) -> Trained:
        """Train and return the challenger; raise StrategyError when it cannot."""


def concat(batches: list[Batch] | tuple[Batch, ...]) -> Batch:
    """One batch holding the rows of ``batches`` in order."""
    if len(batches) == 1:
        return batches[0]
    return Batch(
        pd.concat([b.X for b in batches], ignore_index=True),
        pd.concat([b.y for b in batches], ignore_index=True),
    )
