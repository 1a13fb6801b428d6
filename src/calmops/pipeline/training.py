"""Training a challenger and promoting it: the default ``learn`` of every kind, in parts a
kind can reuse.

:func:`learn_challengers` is the whole default: :func:`split_holdout` (the rows the kind
holds out), :func:`fit` (first model, the retrain strategy, then the fallback),
:func:`evaluate` (challenger and champion on the same holdout rows, judged by
``calmops.pipeline.promotion``, which also asks that it beat a trivial model),
:func:`write_challenger` (model, card and drift reference, written durably before the run
commits) and :func:`settle` (the first winner becomes the champion; a promotion closes the
circuit breaker, a rejection never counts against it). With the ``adaptive`` strategy,
:func:`fit` picks the best of its candidates (``calmops.pipeline.candidates``), and after a
confirmed concept change with no winner the newest history is tried once more with default
hyperparameters. A kind that trains its own way (IPIP) writes its model with
``write_challenger`` and ends with ``settle`` too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from calmops.errors import StrategyError
from calmops.models.card import ModelCard, describe_features, describe_model, library_versions
from calmops.models.metrics import compare_paired
from calmops.models.registry import Holdout
from calmops.models.strategies import Batch, Trained, TrainingContext, concat, get_strategy
from calmops.pipeline.breaker import after_success
from calmops.pipeline.candidates import choose, confirmed_change, with_default_params
from calmops.pipeline.context import Challenger, RunContext
from calmops.pipeline.estimation import fit_for_version
from calmops.pipeline.measure import (
    custom_of,
    decision_metric,
    measure,
    positive,
    probabilities,
)
from calmops.pipeline.policy import DecisionKind
from calmops.pipeline.promotion import judge, trivial_baseline
from calmops.pipeline.reference import save_reference
from calmops.pipeline.target_drift import output_references
from calmops.store import utcnow

DEFAULT_PARAMS = "adaptive (default hyperparameters)"

__all__ = [
    "evaluate",
    "fit",
    "learn_challengers",
    "promote",
    "random_holdout",
    "settle",
    "split_holdout",
    "training_context",
    "with_holdout_rows",
    "write_challenger",
]


def learn_challengers(ctx: RunContext) -> str:
    """Train challengers (strategy, fallback, then the recovery fallback) and promote the
    first that wins."""
    if ctx.decision is None or not ctx.decision.kind.trains:
        return "no training"
    split_holdout(ctx, ctx.kind.holdout_rows(ctx))
    context = training_context(ctx)
    for plan in _plans(ctx):
        try:
            trained, compared = fit(ctx, plan, context)
        except StrategyError as error:
            ctx.notes.append(f"strategy {plan} could not train: {error}")
            continue
        challenger = evaluate(ctx, plan, trained, compared)
        ctx.challengers.append(challenger)
        if challenger.promoted:
            break
    settle(ctx)
    if not ctx.challengers:
        return "no strategy could train a challenger"
    return "; ".join(f"v{c.version.version} ({c.strategy}) {c.reason}" for c in ctx.challengers)


def _plans(ctx: RunContext) -> list[str]:
    if ctx.decision.kind == DecisionKind.TRAIN:
        return ["first"]
    retrain = ctx.spec.retrain
    plans = [retrain.strategy] + ([retrain.fallback] if retrain.fallback else [])
    if retrain.strategy == "adaptive" and confirmed_change(ctx):
        plans.append(DEFAULT_PARAMS)  # recovery: the newest rows, default hyperparameters
    return plans


def split_holdout(ctx: RunContext, holdout_rows: np.ndarray) -> None:
    """Hold out ``holdout_rows``; the rest is the challenger's training data."""
    train_rows = np.setdiff1d(np.arange(len(ctx.target)), holdout_rows)
    X, target = ctx.features, ctx.target
    ctx.holdout_rows = holdout_rows
    ctx.train_rows = train_rows
    ctx.train = Batch(
        X.iloc[train_rows].reset_index(drop=True), target.iloc[train_rows].reset_index(drop=True)
    )
    ctx.holdout = Batch(
        X.iloc[holdout_rows].reset_index(drop=True),
        target.iloc[holdout_rows].reset_index(drop=True),
    )


def random_holdout(ctx: RunContext) -> np.ndarray:
    """A seeded share of the batch (stratified when every class allows it), sorted."""
    n = len(ctx.target)
    size = max(1, int(round(n * ctx.spec.promotion.holdout)))
    rng = np.random.default_rng(ctx.spec.seed)
    y = ctx.target.to_numpy()
    if ctx.task == "classification" and ctx.target.value_counts().min() >= 2:
        holdout = []
        for label in np.unique(y.astype(str)):
            rows = np.flatnonzero(y.astype(str) == label)
            take = max(1, int(round(len(rows) * ctx.spec.promotion.holdout)))
            holdout.append(rng.choice(rows, size=min(take, len(rows) - 1), replace=False))
        holdout_rows = np.sort(np.concatenate(holdout))
    else:
        holdout_rows = np.sort(rng.choice(n, size=min(size, n - 1), replace=False))
    return holdout_rows


class _TrainHook:
    """Makes the user's ``train(X, y, context)`` look like an estimator to strategies."""

    def __init__(self, hook, context_ref: list) -> None:
        self.hook, self.context_ref = hook, context_ref

    def fit(self, X, y):
        return self.hook(X, y, self.context_ref[0])


def training_context(ctx: RunContext) -> TrainingContext:
    """What a strategy trains from: this batch's training rows, the retained history, the
    champion and how to build a fresh model (the ``train`` hook, else the kind's factory)."""
    history = _without_roles(ctx, ctx.retained.load(ctx.spec.retrain.max_retained_rows))
    reference: list = []
    if ctx.hooks.train is not None:
        hook = ctx.hooks.train

        def make_model() -> Any:
            return _TrainHook(hook, reference)
    else:
        make_model = ctx.kind.model_factory(ctx)

    context = TrainingContext(
        new=ctx.train,
        history=history,
        champion=ctx.champion_model,
        make_model=make_model,
        task=ctx.task,
        settings=ctx.spec.retrain,
        seed=ctx.spec.seed,
        change_start=None
        if ctx.change is None
        else int(np.searchsorted(ctx.train_rows, ctx.change.row)),
        validation=ctx.holdout,
    )
    reference.append(context)
    return context


def _without_roles(ctx: RunContext, history: tuple[Batch, ...]) -> tuple[Batch, ...]:
    """History retained before a column was given a role (id, time, excluded) keeps it as a
    feature; it is dropped so the role column does not come back into the model."""
    roles = set(ctx.spec.data.role_columns()) - set(ctx.features.columns)
    return tuple(
        Batch(b.X.drop(columns=[c for c in b.X.columns if c in roles]), b.y) for b in history
    )


def fit(ctx: RunContext, plan: str, context: TrainingContext) -> tuple[Trained, int]:
    """Train with ``plan`` — ``first`` (a fresh model), a strategy's name, or the recovery
    fallback — and say how many candidates were compared to pick the model."""
    if plan == "first":
        return _first(context), 1
    if ctx.hooks.retrain is not None and plan == ctx.spec.retrain.strategy:
        # the hook replaces the main strategy; a fallback still runs the named strategy
        model = ctx.hooks.retrain(ctx.champion_model, context.new.X, context.new.y, context)
        return Trained(model, context.new.X, f"the retrain hook on {len(context.new):,} rows"), 1
    if plan == "adaptive":
        return choose(ctx, context)
    if plan == DEFAULT_PARAMS:
        return with_default_params(ctx, context), 1
    return get_strategy(plan).fit(context), 1


def _first(context: TrainingContext) -> Trained:
    """The first model: on this batch, and on rows kept from earlier attempts if any."""
    data = concat([*context.history, context.new])
    model = context.make_model().fit(data.X, data.y)
    if context.history:
        described = f"all {len(data):,} retained rows with this batch"
        return Trained(model, data.X, described, labels=data.y)
    return Trained(model, data.X, f"{len(data):,} rows of this batch", labels=data.y)


def evaluate(ctx: RunContext, plan: str, trained: Trained, compared: int = 1) -> Challenger:
    """Score ``trained`` and the champion on the holdout rows, judge, and write the version
    (``compared``: how many candidates were scored on these rows to pick ``trained``)."""
    metric = decision_metric(ctx)
    y = ctx.holdout.y.to_numpy()
    predicted = np.asarray(trained.model.predict(ctx.holdout.X))
    proba = probabilities(ctx, trained.model, ctx.holdout.X, who=f"the {plan} challenger")
    mine = measure(ctx, y, predicted, proba)
    boot = {"n_boot": ctx.spec.decision.bootstrap, "seed": ctx.spec.seed}
    trivial = trivial_baseline(y, predicted, metric, proba=proba, positive=positive(ctx), **boot)
    theirs, comparison = _against_champion(ctx, y, predicted, proba, metric, boot)
    promoted, reason = judge(
        metric,
        mine,
        theirs,
        comparison,
        ctx.spec.promotion,
        len(y),
        trivial=trivial,
        compared=compared,
        confidence=ctx.spec.decision.confidence,
        custom=custom_of(ctx),
    )
    holdout = Holdout(y, predicted)
    if proba is not None:
        holdout = Holdout(y, predicted, proba.values, proba.classes)
    judged = trained
    if promoted:
        trained = with_holdout_rows(ctx, trained)
    challenger = write_challenger(
        ctx,
        plan,
        trained,
        mine,
        holdout,
        promoted,
        reason,
        features=ctx.holdout.X,
        refitted=trained is not judged,
    )
    return replace(
        challenger,
        champion_metrics=theirs,
        comparison=None if comparison is None else vars(comparison),
        predictions=predicted,
        proba=proba,
    )


def _against_champion(ctx: RunContext, y, predicted, proba, metric, boot: dict):
    """The champion's metrics on the same holdout rows and the paired comparison with the
    challenger's predictions (both None without a champion that scored the batch)."""
    if ctx.champion is None or ctx.predictions is None:
        return None, None
    champion_predicted = ctx.predictions[ctx.holdout_rows]
    champion_proba = None if ctx.proba is None else ctx.proba.take(ctx.holdout_rows)
    theirs = measure(ctx, y, champion_predicted, champion_proba)
    comparison = compare_paired(
        y,
        predicted,
        champion_predicted,
        metric,
        proba_a=proba,
        proba_b=champion_proba,
        positive=positive(ctx),
        confidence=ctx.spec.decision.confidence,
        **boot,
    )
    return theirs, comparison


def with_holdout_rows(ctx: RunContext, trained: Trained) -> Trained:
    """``trained`` refitted on its own rows and the holdout rows it won on, when it is a fresh
    model fitted on known rows (``trained.labels``) and ``promotion.refit`` is on.

    The holdout is a quarter of the newest labelled rows: leaving them out of the model that
    serves costs most just after a change, and on a first batch costs a flexible model like
    gradient boosting several points. Its judged metrics, and the holdout predictions kept as
    its performance baseline, stay those of the model as judged (an honest, if slightly
    pessimistic, estimate for the refitted one).
    """
    refit = ctx.spec.promotion.refit and ctx.kind.refits_winner
    if trained.labels is None or not refit or ctx.holdout is None:
        return trained
    from sklearn.base import clone

    try:
        model = clone(trained.model)
    except (TypeError, RuntimeError):  # not a scikit-learn estimator: keep it as judged
        return trained
    rows = concat([Batch(trained.features, trained.labels), ctx.holdout])
    model.fit(rows.X, rows.y)
    described = f"{trained.description} and the {len(ctx.holdout):,} holdout rows it won on"
    return Trained(model, rows.X, described, labels=rows.y)


def write_challenger(
    ctx: RunContext,
    plan: str,
    trained: Trained,
    metrics: dict[str, float],
    holdout: Holdout,
    promoted: bool,
    reason: str,
    *,
    features: Any = None,
    refitted: bool = False,
) -> Challenger:
    """Write a trained model as the next version (model, card, holdout, drift reference
    and, given the holdout rows' ``features``, its label-free performance estimator, fitted
    on the holdout predictions — of the model as judged, when it was ``refitted`` since),
    durably and not yet registered: the run's commit registers it."""
    version = ctx.registry.next_version() + len(ctx.challengers)
    card = _card(ctx, version, plan, trained, metrics, promoted, reason)
    estimator = None
    if features is not None:
        estimator, card.estimator = fit_for_version(
            ctx.task, features, holdout, positive=positive(ctx), seed=ctx.spec.seed
        )
        if estimator is not None and refitted:
            card.estimator["calibrated_on"] = (
                "the model as judged on the holdout rows; the version's model was then "
                "refitted with those rows too"
            )
    written = ctx.registry.write(trained.model, card, holdout, estimator)
    # so any version can be promoted by hand later and be monitored against its own data
    outputs = output_references(ctx, trained, holdout)
    save_reference(ctx.paths, version, trained.features, ctx.spec.data.block_column, outputs)
    return Challenger(
        version=written,
        strategy=plan,
        trained_on=trained.description,
        rows=trained.rows,
        metrics=metrics,
        champion_metrics=None,
        comparison=None,
        promoted=promoted,
        reason=reason,
    )


def _card(ctx, version, plan, trained, metrics, promoted, reason) -> ModelCard:
    classes = None
    if ctx.task == "classification":
        found = getattr(trained.model, "classes_", None)
        classes = (found if found is not None else np.unique(ctx.target)).tolist()
    return ModelCard(
        version=version,
        pipeline=ctx.spec.name,
        task=ctx.task,
        target=ctx.spec.data.target,
        features=describe_features(ctx.features),
        classes=classes,
        training={"rows": trained.rows, "data": trained.description, "strategy": plan},
        metrics=metrics,
        strategy=plan,
        reason=ctx.decision.reason,
        parent_version=None if ctx.champion is None else ctx.champion.version,
        run_id=ctx.run_id,
        created_at=utcnow().isoformat(),
        serializer=ctx.spec.model.serializer,
        promotion={"promoted": promoted, "reason": reason},
        positive_label=positive(ctx),
        libraries=library_versions(),
        model=describe_model(trained.model),
    )


def promote(ctx: RunContext, challenger: Challenger) -> None:
    """Make ``challenger`` the champion when the run commits (the old one becomes previous)."""
    ctx.aliases = {"champion": challenger.version.version}
    if ctx.champion is not None:
        ctx.aliases["previous"] = ctx.champion.version
    ctx.alias_reason = f"run {ctx.run_id}: {challenger.reason}"


def settle(ctx: RunContext) -> None:
    """After training: promote the first challenger that won, and tell the circuit breaker
    (a promotion closes it; a rejected challenger never counts: losing to the champion is
    the loop working, and the breaker is for failing runs)."""
    winner = next((c for c in ctx.challengers if c.promoted), None)
    if winner is not None:
        promote(ctx, winner)
        ctx.new_breaker = after_success(ctx.breaker)
