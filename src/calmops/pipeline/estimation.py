"""Label-free performance estimation in the loop: fitted with each version, applied to every
batch, checked against the realized values when labels come, and the
``estimated_performance`` signal.

The estimator itself is :mod:`calmops.performance` (CBPE for classifiers with probabilities,
DLE for regressors); this module only wires it in:

* :func:`fit_for_version`: at training time, on the challenger's held-out rows; the registry
  saves it in the version's folder and the card records ``estimator {method, trusted}``.
* :func:`estimate_batch`: in the monitor step, the champion's estimate on the batch (None for
  a version written without an estimator), with the realized values beside it on a labelled
  batch, and how often the realized value fell inside the interval lately (``coverage``).
* :func:`estimated_signal`: fires when the estimated decision metric is worse than the
  champion's performance baseline by more than ``decision.max_drop`` of it, with the whole
  interval on the worse side; never on an untrusted estimate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.models.metrics import Metric, describe_change
from calmops.models.metrics.wording import number
from calmops.models.registry import Holdout
from calmops.pipeline.performance_sections import EstimationSection
from calmops.pipeline.policy import ESTIMATED, Signal
from calmops.spec import DecisionSpec
from calmops.store import MetricRow, RunRecord

__all__ = [
    "COVERAGE_RUNS",
    "coverage_caveat",
    "estimate_batch",
    "estimated_signal",
    "estimation_rows",
    "fit_for_version",
]

COVERAGE_RUNS = 20  # labelled runs whose realized value is checked against the interval
COVERAGE_MIN = 5  # fewer labelled runs than this: too few to judge the coverage


def fit_for_version(
    task: str, X: Any, holdout: Holdout, *, positive: Any = None, seed: int = 0
) -> tuple[Any, dict[str, Any] | None]:
    """The estimator of a new version, fitted on its held-out rows, and what its model card
    records of it (``{"method", "trusted"}`` and, when it cannot estimate, ``caveats``)."""
    try:
        from calmops.performance import MIN_ROWS, fit_estimator
    except ImportError:  # built without calmops.performance
        return None, None
    estimator = fit_estimator(
        task,
        X,
        holdout.y_true,
        holdout.y_pred,
        holdout.proba,
        holdout.classes,
        positive=positive,
        seed=seed,
    )
    reason = getattr(estimator, "reason", None)  # the Unavailable estimator says why
    if reason is not None:
        return estimator, {"method": None, "trusted": False, "caveats": [str(reason)]}
    trusted = len(holdout.y_true) >= MIN_ROWS
    return estimator, {"method": estimator.name, "trusted": trusted}


def load_for(folder: Any) -> Any:
    """The estimator saved in a version's folder, or None (a version written before)."""
    try:
        from calmops.performance import load_estimator
    except ImportError:  # built without calmops.performance
        return None
    return load_estimator(folder)


def estimate_batch(
    estimator: Any,
    ctx: Any,
    metric: Metric,
    history: list[RunRecord],
) -> EstimationSection:
    """The champion's estimate on the batch, with the realized values when labelled."""
    spec = ctx.spec
    values = None if ctx.proba is None else np.asarray(ctx.proba.values)
    estimate = estimator.estimate(
        ctx.features,
        ctx.predictions,
        values,
        confidence=spec.decision.confidence,
        seed=spec.seed,
    )
    realized = ctx.batch_metrics if ctx.labelled else {}
    metrics = {
        name: {
            "estimated": _finite(m.value),
            "low": _finite(m.low),
            "high": _finite(m.high),
            "realized": _finite(realized.get(name)),
        }
        for name, m in estimate.metrics.items()
    }
    mine = metrics.get(metric.name) or {}
    error = None
    if mine.get("realized") is not None and mine.get("estimated") is not None:
        error = mine["realized"] - mine["estimated"]
    section = EstimationSection(
        method=estimate.method,
        trusted=bool(estimate.trusted),
        caveats=tuple(estimate.caveats),
        confidence=spec.decision.confidence,
        metric=metric.name,
        metrics=metrics,
        error=error,
    )
    return _with_coverage(section, history)


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _with_coverage(section: EstimationSection, history: list[RunRecord]) -> EstimationSection:
    """Count how often the realized decision metric fell inside the interval in the last
    labelled runs (this one included), and add a caveat when it is too rarely."""
    from dataclasses import replace

    inside = []
    current = section.metrics.get(section.metric or "") or {}
    sides = [current] + [
        (run.summary or {}).get("estimation") or {} for run in history if run.status == "succeeded"
    ]
    for side in sides:
        if side.get("metric", section.metric) != section.metric:
            continue
        low, high, real = side.get("low"), side.get("high"), side.get("realized")
        if None not in (low, high, real):
            inside.append(low <= real <= high)
        if len(inside) >= COVERAGE_RUNS:
            break
    if not inside:
        return section
    coverage = {"hits": int(sum(inside)), "batches": len(inside)}
    caveat = coverage_caveat(coverage["hits"], coverage["batches"], section.confidence)
    caveats = section.caveats + ((caveat,) if caveat else ())
    return replace(section, coverage=coverage, caveats=caveats)


def coverage_caveat(hits: int, batches: int, confidence: float) -> str | None:
    """A caveat when the realized value fell outside the estimate's interval more often than
    its confidence allows (one-sided binomial test at 1%), None otherwise.

    >>> print(coverage_caveat(4, 10, 0.95))  # doctest: +NORMALIZE_WHITESPACE
    the realized value fell outside the 95% interval in 6 of the last 10 labelled batches
    (expected about 0.5): the estimate is off, perhaps a concept change
    >>> coverage_caveat(9, 10, 0.95) is None
    True
    """
    if batches < COVERAGE_MIN:
        return None
    from scipy.stats import binomtest

    if binomtest(hits, batches, confidence, alternative="less").pvalue >= 0.01:
        return None
    return (
        f"the realized value fell outside the {confidence:.0%} interval in {batches - hits} "
        f"of the last {batches} labelled batches (expected about "
        f"{batches * (1 - confidence):.1f}): the estimate is off, perhaps a concept change"
    )


def estimated_signal(
    section: EstimationSection, metric: Metric, before: float | None, spec: DecisionSpec
) -> Signal:
    """Has the estimated decision metric worsened from the baseline ``before``, beyond
    ``max_drop`` of it and its interval? Quiet, saying why, when it cannot tell."""
    if not section.trusted:
        why = "; ".join(section.caveats) or "no reason given"
        return Signal(ESTIMATED, False, f"{section.method} estimate not trusted ({why})")
    value = section.metrics.get(metric.name) or {}
    now, low, high = value.get("estimated"), value.get("low"), value.get("high")
    if now is None or low is None or high is None:
        return Signal(ESTIMATED, False, f"{section.method} does not estimate {metric.name}")
    if before is None or not np.isfinite(before):
        return Signal(ESTIMATED, False, f"no {metric.name} baseline for the champion")
    # the interval of the improvement (positive: better), as describe_change reads it
    worst, best = (
        (low - before, high - before)
        if metric.higher_is_better
        else (
            before - high,
            before - low,
        )
    )
    tolerance = spec.max_drop * abs(before)
    fired = bool(best < -tolerance)
    summary = "estimated " + describe_change(metric, before, now, worst, best, section.confidence)
    summary += f" ({section.method}"
    if fired:
        summary += f"; beyond the tolerance, {spec.max_drop:.0%} of the baseline"
    summary += ")"
    details = {
        "metric": metric.name,
        "baseline": before,
        "estimated": now,
        "low": low,
        "high": high,
        "realized": value.get("realized"),
        "tolerance": tolerance,
        "method": section.method,
    }
    return Signal(ESTIMATED, fired, summary, details)


def estimation_rows(section: EstimationSection | None, version: int) -> list[MetricRow]:
    """The store rows of an estimate: scope ``estimated`` (and ``estimated_low``/``_high``
    for its interval) beside the realized ``batch`` rows."""
    if section is None:
        return []
    rows = []
    for name, value in section.metrics.items():
        for key, scope in (("estimated", "estimated"), ("low", "estimated_low"),
                           ("high", "estimated_high")):  # fmt: skip
            if value.get(key) is not None:
                rows.append(MetricRow(name, value[key], version, scope=scope))
    return rows


def summary_of(section: EstimationSection | None) -> dict[str, Any] | None:
    """What a run's summary keeps of the estimate (run lists show it without the report)."""
    if section is None or section.metric not in section.metrics:
        return None
    value = section.metrics[section.metric]
    return {
        "metric": section.metric,
        "method": section.method,
        "trusted": section.trusted,
        **{k: value.get(k) for k in ("estimated", "low", "high", "realized")},
    }


def no_estimator_note(version: int) -> str:
    return (
        f"the champion v{version} was written without a performance estimator (before "
        "label-free estimation existed): no estimate for its batches; the next version has one"
    )


def describe_estimate(section: EstimationSection) -> str:
    """One line: the decision metric's estimate, interval and realized value."""
    value = section.metrics.get(section.metric or "") or {}
    text = (
        f"estimated {section.metric} {number(value.get('estimated'))} "
        f"[{number(value.get('low'))}, {number(value.get('high'))}] ({section.method})"
    )
    if value.get("realized") is not None:
        text += f", realized {number(value['realized'])}"
    return text


def estimate_step(ctx: Any) -> None:
    """Monitor-step part: the champion's estimate on the batch into ``ctx.estimation`` and
    the ``estimated_performance`` signal into ``ctx.signals`` (nothing without an estimator;
    a note when the champion's version was written without one)."""
    from calmops.pipeline.baseline import PerformanceBaseline
    from calmops.pipeline.measure import decision_metric, positive

    if ctx.champion is None or ctx.predictions is None or ctx.kind.name == "ipip":
        return
    estimator = load_for(ctx.registry.folder(ctx.champion.version))
    if estimator is None:
        if "estimator" not in (ctx.champion.card or {}):
            ctx.notes.append(no_estimator_note(ctx.champion.version))
        return
    metric = decision_metric(ctx)
    history = ctx.store.runs.list(ctx.spec.name, limit=COVERAGE_RUNS * 3)
    ctx.estimation = estimate_batch(estimator, ctx, metric, history)
    baseline = PerformanceBaseline.of(ctx).load(ctx.registry.holdout(ctx.champion))
    before = None
    if baseline is not None and len(baseline.y_true):
        from calmops.pipeline.signals import baseline_value

        before = baseline_value(metric, baseline, positive(ctx))
    ctx.signals[ESTIMATED] = estimated_signal(ctx.estimation, metric, before, ctx.spec.decision)
