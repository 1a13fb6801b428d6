"""``adaptive``: candidates trained on different histories; the one that serves the newest
rows best wins.

After a concept change nobody knows in advance how much history still helps: everything
retained (stable concept, more rows), a recent window (a change some batches ago), the last
batch, or only the rows since the change the pipeline located inside the batch (an abrupt
change). ``adaptive`` trains one candidate on each distinct history; the pipeline scores them
on held-out rows of the newest data, next to the champion, and promotes the best only when it
beats the champion significantly (``calmops.pipeline.candidates``).
"""

from __future__ import annotations

from dataclasses import dataclass

from calmops.errors import StrategyError
from calmops.models.metrics import primary_metric, scores
from calmops.models.strategies.base import Batch, Trained, TrainingContext, concat

__all__ = ["Adaptive", "Candidate", "History"]

DEFAULT_BATCHES = 3
MIN_ROWS = 30  # the fewest rows a candidate trains on


@dataclass(frozen=True)
class History:
    """A named stretch of the labelled past a candidate learns from."""

    name: str  # full | window | batch | since_change
    data: Batch
    description: str


@dataclass(frozen=True)
class Candidate:
    """A model fitted on one history."""

    history: str
    trained: Trained


class Adaptive:
    """One candidate per distinct history: all retained rows, the last ``window_batches``
    batches (default 3), the last batch, and the rows since the located change.

    ``fit`` returns the candidate with the best score on ``context.validation``; the pipeline
    uses :meth:`candidates` and judges every one itself.

    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> rng = np.random.default_rng(0)
    >>> def batch(n, flip):
    ...     x = rng.normal(size=n)
    ...     return Batch(pd.DataFrame({"x": x}), pd.Series(((x > 0) != flip).astype(int)))
    >>> from calmops.models.strategies.base import concat
    >>> changed = concat([batch(100, False), batch(100, True)])  # flipped from row 100
    >>> context = TrainingContext(
    ...     changed, (batch(200, False), batch(200, False)), None,
    ...     lambda: DecisionTreeClassifier(max_depth=2, random_state=0), "classification",
    ...     change_start=100, validation=batch(100, True))
    >>> [h.name for h in Adaptive().histories(context)]
    ['full', 'batch', 'since_change']
    >>> Adaptive().fit(context).description
    'the 100 rows since the change located in this batch'
    """

    name = "adaptive"

    def histories(self, context: TrainingContext) -> list[History]:
        """The distinct histories, longest first (``window`` is left out when it equals
        ``full``, ``since_change`` when there is no located change or too few rows, any
        history of a classifier with a single class)."""
        batches = [*context.history, context.new]
        count = context.settings.window_batches or DEFAULT_BATCHES
        found = [_history("full", batches), _history("window", batches[-count:])]
        found.append(History("batch", context.new, f"the last batch ({len(context.new):,} rows)"))
        start = context.change_start
        if start is not None and len(context.new) - start >= MIN_ROWS:
            recent = Batch(
                context.new.X.iloc[start:].reset_index(drop=True),
                context.new.y.iloc[start:].reset_index(drop=True),
            )
            found.append(
                History(
                    "since_change",
                    recent,
                    f"the {len(recent):,} rows since the change located in this batch",
                )
            )
        distinct: list[History] = []
        for history in found:
            if context.task == "classification" and history.data.y.nunique() < 2:
                continue  # nothing to learn from a single class
            if all(len(history.data) != len(kept.data) for kept in distinct):
                distinct.append(history)  # histories nest, so equal sizes mean equal rows
        return distinct

    def candidates(self, context: TrainingContext, make_model=None) -> list[Candidate]:
        """A model fitted on each history (``make_model`` overrides the context's)."""
        make = make_model or context.make_model
        fitted = []
        for history in self.histories(context):
            model = make().fit(history.data.X, history.data.y)
            fitted.append(
                Candidate(
                    history.name,
                    Trained(model, history.data.X, history.description, labels=history.data.y),
                )
            )
        return fitted

    def fit(self, context: TrainingContext) -> Trained:
        if context.validation is None or len(context.validation) == 0:
            raise StrategyError("adaptive needs validation rows to choose among its candidates")
        metric = primary_metric(context.task)
        y = context.validation.y.to_numpy()
        best, best_value = None, None
        for candidate in self.candidates(context):
            predicted = candidate.trained.model.predict(context.validation.X)
            value = scores(y, predicted, context.task)[metric.name]
            if best_value is None or metric.better(value, best_value) > 0:
                best, best_value = candidate, value
        return best.trained


def _history(name: str, batches: list[Batch]) -> History:
    data = concat(batches)
    if name == "full":
        described = f"all {len(data):,} retained rows ({len(batches)} batches)"
    else:
        described = f"the last {len(batches)} batches ({len(data):,} rows)"
    return History(name, data, described)
