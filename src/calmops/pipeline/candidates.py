"""The candidates of adaptive retraining, scored on the holdout rows of the newest data.

``choose`` fits the ``adaptive`` strategy's candidates (one per history), scores each on the
run's holdout rows (which no candidate trained on) and returns the best; the training step
then judges that one against the champion and the trivial model, with the number of
candidates compared as the Bonferroni divisor. ``with_default_params`` is the recovery
fallback after a confirmed concept change: the most recent history, with the estimator's
default hyperparameters (the tuned ones may suit the old concept only).
"""

from __future__ import annotations

import numpy as np

from calmops.errors import StrategyError
from calmops.models.factory import build_model
from calmops.models.strategies import Trained, TrainingContext
from calmops.models.strategies.adaptive import Adaptive
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import decision_metric, measure, probabilities
from calmops.pipeline.report import CandidateEntry

__all__ = ["choose", "confirmed_change", "with_default_params"]


def choose(ctx: RunContext, context: TrainingContext) -> tuple[Trained, int]:
    """The best candidate on the holdout rows, and how many were compared.

    Every candidate and its score is added to ``ctx.candidates``.
    """
    metric = decision_metric(ctx)
    y = ctx.holdout.y.to_numpy()
    fitted = Adaptive().candidates(context)
    if not fitted:
        raise StrategyError("adaptive found no history to train on")
    scored = []
    for candidate in fitted:
        model = candidate.trained.model
        predicted = np.asarray(model.predict(ctx.holdout.X))
        proba = probabilities(ctx, model, ctx.holdout.X, who="an adaptive candidate")
        scored.append((candidate, measure(ctx, y, predicted, proba)))
    best = 0
    for index, (_, values) in enumerate(scored):
        if metric.better(values[metric.name], scored[best][1][metric.name]) > 0:
            best = index
    for index, (candidate, values) in enumerate(scored):
        ctx.candidates.append(
            CandidateEntry(
                candidate.history,
                candidate.trained.description,
                candidate.trained.rows,
                values,
                chosen=index == best,
            )
        )
    return scored[best][0].trained, len(scored)


def confirmed_change(ctx: RunContext) -> bool:
    """The run retrains because the champion's labelled results changed."""
    triggers = set(ctx.decision.triggers) if ctx.decision is not None else set()
    return bool(triggers & {"performance", "detector", "chance"})


def with_default_params(ctx: RunContext, context: TrainingContext) -> Trained:
    """The most recent history's candidate, with the estimator's default hyperparameters."""
    spec = ctx.spec.model
    if ctx.hooks.train is not None or spec.steps is not None or ctx.kind.name != "stream":
        raise StrategyError("default hyperparameters apply to a plain `model.class` only")
    if not spec.params:
        raise StrategyError("the model already uses its default hyperparameters")
    latest = Adaptive().histories(context)[-1]
    plain = build_model(spec.model_copy(update={"params": {}}), ctx.task)
    model = plain.fit(latest.data.X, latest.data.y)
    described = f"{latest.description}, default hyperparameters"
    return Trained(model, latest.data.X, described, labels=latest.data.y)
