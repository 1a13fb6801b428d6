"""Prediction and label drift of a batch: the signals ``prediction`` and ``label``, and the
references they are judged against, kept with each model version.

When a version is written, :func:`output_references` profiles its predictions on its
held-out rows (the predicted class and its probability, or the predicted value) and its
training labels; ``calmops.pipeline.reference`` stores both beside the features' profile.
On each batch the champion's predictions are compared with the first (``prediction``, with
or without labels) and the batch's labels with the second (``label``, labelled batches
only), by :func:`calmops.drift.target.compare_outputs` with the drift section's ``alpha``
and ``correction``. A prior shift moves both even when every feature looks stable. Neither
signal retrains unless it is listed in ``decision.retrain_on``.

A version written before these profiles were kept is judged against its held-out rows
(``models/v<N>/holdout.npz``): their predictions, and their labels instead of the training
labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calmops.models.registry import Holdout
from calmops.pipeline.measure import positive
from calmops.pipeline.policy import Signal
from calmops.pipeline.reference import load_output_reference

if TYPE_CHECKING:
    from calmops.drift import Profile
    from calmops.models.strategies import Trained
    from calmops.pipeline.context import RunContext

__all__ = ["output_references", "target_signals"]


def output_references(ctx: RunContext, trained: Trained, holdout: Holdout) -> dict[str, Profile]:
    """The profiles of a new version's held-out predictions and of its training labels
    (when the strategy does not say which labels it trained on, as when it updates the
    champion: the batch's training rows, else the held-out labels)."""
    from calmops.drift.target import label_frame, output_profile

    labels = trained.labels
    if labels is None:
        labels = ctx.train.y if ctx.train is not None else holdout.y_true
    seed = ctx.spec.seed
    out = {"predictions": output_profile(_holdout_predictions(ctx, holdout), seed=seed)}
    if len(labels):
        out["labels"] = output_profile(label_frame(labels, ctx.task), seed=seed)
    return out


def target_signals(ctx: RunContext) -> dict[str, Signal]:
    """The ``prediction`` signal (the champion scored the batch) and the ``label`` signal
    (the batch has labels)."""
    signals: dict[str, Signal] = {}
    if ctx.champion is None:
        return signals
    if ctx.predictions is not None and len(ctx.predictions):
        signals["prediction"] = _prediction_signal(ctx)
    if ctx.labelled and ctx.target is not None and len(ctx.target):
        signals["label"] = _label_signal(ctx)
    return signals


def _prediction_signal(ctx: RunContext) -> Signal:
    from calmops.drift.target import prediction_frame

    reference, source = _reference(ctx, "predictions")
    if reference is None:
        return Signal("prediction", False, f"no reference predictions for v{ctx.champion.version}")
    proba = _proba(ctx)
    frame = prediction_frame(
        ctx.predictions,
        ctx.task,
        proba=None if proba is None else proba.values,
        classes=None if proba is None else proba.classes,
        positive=_positive(ctx),
    )
    return _signal(ctx, "prediction", reference, frame, source)


def _label_signal(ctx: RunContext) -> Signal:
    from calmops.drift.target import label_frame

    reference, source = _reference(ctx, "labels")
    if reference is None:
        return Signal("label", False, f"no reference labels for v{ctx.champion.version}")
    return _signal(ctx, "label", reference, label_frame(ctx.target.to_numpy(), ctx.task), source)


def _signal(ctx: RunContext, name: str, reference: Profile, frame: Any, source: str) -> Signal:
    from calmops.drift.target import compare_outputs

    drift = ctx.spec.drift
    result = compare_outputs(
        reference, frame, name, alpha=drift.alpha, correction=drift.correction, seed=ctx.spec.seed
    )
    return Signal(name, result.drift, result.summary, {**result.to_dict(), "reference": source})


def _reference(ctx: RunContext, which: str) -> tuple[Profile | None, str]:
    """The champion's stored profile, else one made from its held-out rows; and its source."""
    from calmops.drift.target import label_frame, output_profile

    version = ctx.champion.version
    stored = load_output_reference(ctx.paths, version, which)
    if stored is not None:
        source = "held-out predictions" if which == "predictions" else "training labels"
        return stored, f"v{version} {source}"
    holdout = ctx.registry.holdout(ctx.champion)
    if holdout is None or len(holdout.y_true) == 0:
        return None, ""
    if which == "predictions":
        frame = _holdout_predictions(ctx, holdout)
    else:
        frame = label_frame(holdout.y_true, ctx.task)
    return output_profile(frame, seed=ctx.spec.seed), f"v{version} held-out rows"


def _holdout_predictions(ctx: RunContext, holdout: Holdout) -> Any:
    from calmops.drift.target import prediction_frame

    return prediction_frame(
        holdout.y_pred,
        ctx.task,
        proba=holdout.proba,
        classes=holdout.classes,
        positive=_positive(ctx),
    )


def _positive(ctx: RunContext) -> Any:
    """The positive label (None for a regressor)."""
    return positive(ctx) if ctx.task == "classification" else None


def _proba(ctx: RunContext) -> Any:
    """The champion's probabilities on the batch (scored here only when the kind's scoring
    kept none: IPIP on an unlabelled batch)."""
    if ctx.proba is not None or ctx.task != "classification" or ctx.champion_model is None:
        return ctx.proba
    from calmops.models.metrics import predict_proba

    return predict_proba(ctx.champion_model, ctx.features)
