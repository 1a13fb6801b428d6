"""``incremental``: ``partial_fit`` of a copy of the champion on the new batch."""

from __future__ import annotations

import copy

from calmops.errors import StrategyError
from calmops.models.strategies.base import Trained, TrainingContext


class Incremental:
    """Update the champion with ``partial_fit`` (its preprocessing stays as fitted)."""

    name = "incremental"

    def fit(self, context: TrainingContext) -> Trained:
        if context.champion is None:
            raise StrategyError("incremental needs a champion to update; none exists yet")
        model = copy.deepcopy(context.champion)
        *transforms, (_, estimator) = _steps(model)
        if not callable(getattr(estimator, "partial_fit", None)):
            raise StrategyError(
                f"incremental needs an estimator with partial_fit; {type(estimator).__name__} "
                "has none (use e.g. sklearn.linear_model.SGDClassifier, or another strategy)"
            )
        X = context.new.X
        for _, transform in transforms:
            X = transform.transform(X)
        known = getattr(estimator, "classes_", None)
        if known is not None:
            unseen = sorted(set(context.new.y.unique()) - set(known.tolist()), key=str)
            if unseen:
                raise StrategyError(
                    f"incremental cannot learn classes the champion never saw: {unseen}"
                )
        estimator.partial_fit(X, context.new.y)
        return Trained(model, context.new.X, f"the champion updated on {len(context.new):,} rows")


def _steps(model) -> list:
    steps = getattr(model, "steps", None)
    return list(steps) if steps else [("model", model)]
