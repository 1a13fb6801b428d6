"""Step ``monitor``: data drift against the champion's reference, prediction and label drift,
performance drift, the streaming detector on the per-row errors, and the label-free
performance estimate (``calmops.pipeline.estimation``)."""

from __future__ import annotations

from calmops.pipeline.baseline import PerformanceBaseline
from calmops.pipeline.context import RunContext
from calmops.pipeline.estimation import estimate_step
from calmops.pipeline.measure import decision_metric, positive
from calmops.pipeline.reference import load_reference
from calmops.pipeline.signals import data_signal, detector_signal, error_stream, performance_signal
from calmops.pipeline.target_drift import target_signals


def monitor(ctx: RunContext) -> str:
    if ctx.champion is None:
        extra = ctx.kind.monitor(ctx)
        return "nothing to compare with yet" + (f"; {extra}" if extra else "")
    spec = ctx.spec
    profile = load_reference(ctx.paths, ctx.champion.version)
    features = ctx.kind.drift_features(ctx)
    signal, ctx.drift_report = data_signal(profile, features, spec.drift, spec.seed)
    ctx.signals["data"] = signal
    ctx.signals.update(target_signals(ctx))  # prediction; label (labelled batches)
    if ctx.labelled and ctx.predictions is not None:
        metric = decision_metric(ctx)
        y = ctx.target.to_numpy()
        baseline = PerformanceBaseline.of(ctx).load(ctx.registry.holdout(ctx.champion))
        ctx.signals["performance"] = performance_signal(
            metric,
            y,
            ctx.predictions,
            baseline,
            spec.decision,
            spec.seed,
            proba=ctx.proba,
            positive=positive(ctx),
        )
        ctx.detector = _detector(ctx)
        errors = error_stream(ctx.task, y, ctx.predictions)
        ctx.signals["detector"] = detector_signal(ctx.detector, errors)
    estimate_step(ctx)
    ctx.kind.monitor(ctx)
    return "; ".join(
        f"{name}: {'fired' if s.fired else 'quiet'}" for name, s in ctx.signals.items()
    )


def _detector(ctx: RunContext):
    from calmops.drift.streaming import detector_from_dict, make_detector

    saved = ctx.store.state.detector(ctx.spec.name)
    if saved and saved.get("champion") == ctx.champion.version and saved.get("detector"):
        return detector_from_dict(saved["detector"])
    return make_detector(ctx.spec.drift.detector, **ctx.spec.drift.detector_params)
