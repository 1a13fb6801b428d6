"""The three drift signals of a batch: data drift, performance drift and the error detector."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from calmops.models.metrics import (
    Metric,
    Proba,
    Scored,
    compare_independent,
    describe_change,
    positive_label,
)
from calmops.models.registry import Holdout
from calmops.pipeline.policy import Signal
from calmops.spec import DecisionSpec, DriftSpec

__all__ = ["baseline_value", "data_signal", "detector_signal", "error_stream", "performance_signal"]


def data_signal(profile: Any, features: pd.DataFrame, spec: DriftSpec, seed: int):
    """Compare the batch's features with the champion's reference profile.

    Returns the signal and the drift report (None when there is no reference yet).
    """
    if profile is None:
        return Signal("data", False, "no reference data yet"), None
    from calmops.drift import compare

    report = compare(
        profile,
        features,
        numeric_test=spec.numeric_test,
        categorical_test=spec.categorical_test,
        alpha=spec.alpha,
        correction=spec.correction,
        drift_share=spec.drift_share,
        dataset_rule=spec.dataset_rule,
        seed=seed,
    )
    drifted = report.drifted
    tested = len(report.features)
    shown = ", ".join(drifted[:5]) + (f" and {len(drifted) - 5} more" if len(drifted) > 5 else "")
    settings = f"{spec.correction} correction, alpha {spec.alpha:g}, rule {spec.dataset_rule}"
    if report.drift_detected:
        summary = f"{len(drifted)} of {tested} features drifted ({settings}): {shown}"
    elif drifted:
        summary = (
            f"{len(drifted)} of {tested} features drifted, below the dataset share "
            f"{spec.drift_share:g} ({settings}): {shown}"
        )
    else:
        summary = f"none of {tested} features drifted ({settings})"
    details = {
        "drifted": drifted,
        "tested": tested,
        "share": report.share_drifted,
        "rule": spec.dataset_rule,
        "reason": report.reason,
    }
    return Signal("data", report.drift_detected, summary, details), report


def performance_signal(
    metric: Metric,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    baseline: Holdout | None,
    spec: DecisionSpec,
    seed: int,
    *,
    proba: Proba | None = None,
    positive: Any = None,
) -> Signal:
    """Has the champion's metric on this batch worsened from its baseline, beyond noise?

    The baseline is the champion's holdout plus the batches it scored without drift. The
    change gets a bootstrap interval that resamples both sides; the signal fires when even
    the favourable end of the interval is worse than the baseline by more than ``max_drop``
    of it. A probability metric needs ``proba`` on the batch and in the baseline (a
    baseline recorded without them gives no signal, said so).
    """
    if baseline is None or len(baseline.y_true) == 0:
        return Signal("performance", False, f"no {metric.name} baseline for the champion")
    then_proba = baseline.probabilities()
    if metric.needs_proba and (proba is None or then_proba is None):
        return Signal(
            "performance",
            False,
            f"no {metric.name} baseline (it was recorded without probabilities)",
        )
    current = (y_true, y_pred, proba)
    recorded = (baseline.y_true, baseline.y_pred, then_proba)
    change = compare_independent(
        current,
        recorded,
        metric,
        positive=positive,
        confidence=spec.confidence,
        n_boot=spec.bootstrap,
        seed=seed,
    )
    before, now = _value(metric, recorded, positive), _value(metric, current, positive)
    tolerance = spec.max_drop * abs(before)
    fired = bool(change.high < -tolerance)
    summary = describe_change(metric, before, now, change.low, change.high, spec.confidence)
    if fired:
        summary += f", beyond the tolerance ({spec.max_drop:.0%} of the baseline)"
    details = {
        "metric": metric.name,
        "baseline": before,
        "current": now,
        "change": change.improvement,
        "change_low": change.low,
        "change_high": change.high,
        "tolerance": tolerance,
    }
    return Signal("performance", fired, summary, details)


def error_stream(task: str, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Per-row errors: 0/1 for classification, absolute error for regression."""
    if task == "classification":
        return (np.asarray(y_true) != np.asarray(y_pred)).astype(float)
    return np.abs(np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float))


def detector_signal(detector: Any, errors: np.ndarray) -> Signal:
    """Feed the error stream to the streaming detector; fires at the first change it finds.

    The detector is reset after a change, and keeps its state for the next batch otherwise.
    """
    name = getattr(detector, "name", type(detector).__name__)
    if name == "none":
        return Signal("detector", False, "no streaming detector configured")
    found = None
    for position, value in enumerate(errors.tolist()):
        detector.update(value)
        if detector.drift_detected:
            found = position
            detector.reset()
            break
    if found is None:
        return Signal("detector", False, f"{name} saw no change in the error stream")
    return Signal(
        "detector",
        True,
        f"{name} found a change in the error stream at row {found + 1:,} of {len(errors):,}",
        {"row": found},
    )


def _value(metric: Metric, side: tuple, positive: Any) -> float:
    y_true, y_pred, proba = side
    if metric.task == "classification":
        positive = positive_label(y_true, positive)
    return metric.point(Scored(np.asarray(y_true), np.asarray(y_pred), proba, positive))


def baseline_value(metric: Metric, baseline: Holdout, positive: Any = None) -> float | None:
    """``metric`` on the baseline rows (None when it needs probabilities the baseline lacks)."""
    proba = baseline.probabilities()
    if metric.needs_proba and proba is None:
        return None
    return _value(metric, (baseline.y_true, baseline.y_pred, proba), positive)
