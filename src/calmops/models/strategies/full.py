"""``full``: a fresh model on every retained row plus the new batch."""

from __future__ import annotations

from calmops.models.strategies.base import Trained, TrainingContext, concat


class Full:
    """Retrain from scratch on all retained data and the new batch.

    >>> import pandas as pd
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from calmops.models.strategies.base import Batch
    >>> old = Batch(pd.DataFrame({"x": [0.0, 1.0]}), pd.Series([0, 1]))
    >>> new = Batch(pd.DataFrame({"x": [2.0, 3.0]}), pd.Series([1, 1]))
    >>> context = TrainingContext(new, (old,), None, DecisionTreeClassifier, "classification")
    >>> Full().fit(context).rows
    4
    """

    name = "full"

    def fit(self, context: TrainingContext) -> Trained:
        data = concat([*context.history, context.new])
        model = context.make_model().fit(data.X, data.y)
        batches = len(context.history) + 1
        described = f"all {len(data):,} retained rows ({batches} batches)"
        return Trained(model, data.X, described, labels=data.y)
