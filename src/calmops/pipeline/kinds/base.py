"""The ``Kind`` seam: where a pipeline kind changes what a batch is, not the loop.

The steps call the kind at a few points; this base class is the stream behaviour, and the
block and IPIP kinds override what they change. One method each, with the default here:

- ``features``: the feature table of the batch (block kinds also set ``ctx.blocks``);
- ``check``: checks once the target is known;
- ``drift_features``: the columns tested for data drift;
- ``score``: predictions and batch metrics;
- ``monitor``: signals beyond the default data/performance/detector ones;
- ``decide``: a last word on the policy's decision;
- ``holdout_rows``: the rows a challenger is evaluated on;
- ``model_factory``: how a fresh model is built;
- ``learn``: training and promotion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from calmops.models.factory import build_model
from calmops.pipeline.changepoint import recent_holdout
from calmops.pipeline.context import RunContext
from calmops.pipeline.policy import Decision
from calmops.pipeline.scoring import score_champion
from calmops.pipeline.training import learn_challengers

__all__ = ["Kind"]


class Kind:
    """The stream kind: every file is one batch; subclasses change single steps."""

    name = "stream"
    refits_winner = True  # a winning challenger is refitted with its holdout rows (training.py)

    def features(self, ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame):
        """The features of the batch (``frame`` is the loaded table, labelled rows only)."""
        return features

    def check(self, ctx: RunContext) -> None:
        """Checks once features, target and task are known; raise DataValidationError."""

    def drift_features(self, ctx: RunContext) -> pd.DataFrame:
        """The features tested for data drift (block kinds leave the block column out)."""
        return ctx.features

    def score(self, ctx: RunContext) -> str:
        """Predictions of the champion and its batch metrics."""
        return score_champion(ctx)

    def monitor(self, ctx: RunContext) -> str | None:
        """More signals or report sections after the default ones; a short note or None."""
        return None

    def decide(self, ctx: RunContext, decision: Decision) -> Decision:
        """The policy's decision, or the kind's last word on it."""
        return decision

    def holdout_rows(self, ctx: RunContext) -> np.ndarray:
        """The rows challenger and champion are compared on: a seeded share of the batch."""
        return recent_holdout(ctx)

    def model_factory(self, ctx: RunContext) -> Callable[[], Any]:
        """A fresh, unfitted model of the spec."""
        return lambda: build_model(ctx.spec.model, ctx.task)

    def learn(self, ctx: RunContext) -> str:
        """Train challengers (strategy, then fallback) and promote the first that wins."""
        return learn_challengers(ctx)
