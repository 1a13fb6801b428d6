"""The promotion rule: does a challenger replace the champion?

A challenger must pass the absolute thresholds (``promotion.thresholds``), beat a trivial
model (always the majority class, or always the mean) on the holdout rows, and, when a
champion exists, beat it on the same rows by more than ``promotion.margin`` on the primary
metric with a paired bootstrap p-value below ``promotion.significance`` (divided by the
number of candidates compared, when the best of several is judged: Bonferroni).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from calmops.models.metrics import (
    Metric,
    PairedComparison,
    Proba,
    compare_paired,
    describe_change,
    get_metric,
    positive_label,
)
from calmops.models.metrics.families import Scored
from calmops.models.metrics.wording import number
from calmops.spec import PromotionSpec

__all__ = ["Trivial", "judge", "trivial_baseline"]


@dataclass(frozen=True)
class Trivial:
    """A model compared with the trivial one on the same rows."""

    name: str  # "always predicting the majority class" | "always predicting the mean"
    value: float  # the trivial model's primary metric
    comparison: PairedComparison  # the model against the trivial one

    def beaten(self, significance: float | None) -> bool:
        """Better than trivial: by a positive margin and, if asked, significantly."""
        if not self.comparison.improvement > 0:
            return False
        return significance is None or self.comparison.p_value < significance


def trivial_baseline(
    y_true,
    y_pred,
    metric: Metric,
    *,
    proba: Proba | None = None,
    positive: Any = None,
    n_boot: int = 500,
    seed: int = 0,
) -> Trivial:
    """``y_pred`` against a constant prediction on the same rows: their majority class
    (classification; with probabilities, each class's share of the rows) or their mean
    (regression).

    Examples
    --------
    >>> from calmops.models.metrics import primary_metric
    >>> y = np.array([0] * 60 + [1] * 40)
    >>> coin = np.random.default_rng(0).integers(0, 2, 100)
    >>> t = trivial_baseline(y, coin, primary_metric("classification"))
    >>> t.name, t.value, t.beaten(0.05)
    ('always predicting the majority class', 0.5, False)
    >>> trivial_baseline(y, y, primary_metric("classification")).beaten(0.05)
    True
    """
    y_true = np.asarray(y_true)
    constant_proba = None
    if metric.task == "classification":
        positive = positive_label(y_true, positive)
        labels, counts = np.unique(y_true, return_counts=True)
        constant = np.full(len(y_true), labels[int(np.argmax(counts))], dtype=y_true.dtype)
        name = "always predicting the majority class"
        if proba is not None:
            constant_proba = _class_shares(y_true, proba)
    else:
        constant = np.full(len(y_true), float(np.mean(y_true.astype(float))))
        name = "always predicting the mean"
    comparison = compare_paired(
        y_true,
        y_pred,
        constant,
        metric,
        proba_a=proba,
        proba_b=constant_proba,
        positive=positive,
        n_boot=n_boot,
        seed=seed,
    )
    value = metric.point(Scored(y_true, constant, constant_proba, positive))
    return Trivial(name, value, comparison)


def _class_shares(y_true: np.ndarray, proba: Proba) -> Proba:
    """Every row given each class's share of ``y_true`` (the prior): a constant forecast."""
    codes = Scored(y_true, y_true, proba).codes()
    shares = np.bincount(codes[codes >= 0], minlength=len(proba.classes)) / max(len(codes), 1)
    return Proba(np.tile(shares, (len(y_true), 1)), proba.classes)


def judge(
    metric: Metric,
    challenger: dict[str, float],
    champion: dict[str, float] | None,
    comparison: PairedComparison | None,
    spec: PromotionSpec,
    rows: int,
    *,
    trivial: Trivial | None = None,
    compared: int = 1,
    confidence: float = 0.95,
    custom: Metric | None = None,
) -> tuple[bool, str]:
    """(promoted, reason) for a challenger with these holdout metrics.

    ``compared`` is how many candidates were scored on these rows to pick this one;
    ``confidence``: of the comparison's interval; ``custom``: the hooks file's metric.

    Examples
    --------
    >>> from calmops.models.metrics import primary_metric
    >>> judge(primary_metric("classification"), {"balanced_accuracy": 0.8}, None, None,
    ...       PromotionSpec(thresholds={"balanced_accuracy": 0.9}), rows=100)
    (False, 'rejected: balanced_accuracy 0.800 is below the threshold 0.900')
    >>> tie = PairedComparison(0.02, -0.01, 0.05, 0.2)
    >>> judge(primary_metric("classification"), {"balanced_accuracy": 0.82},
    ...       {"balanced_accuracy": 0.80}, tie, PromotionSpec(), rows=100)[1][-41:]
    'not significant (p = 0.200, needs < 0.05)'
    """
    for name, bound in spec.thresholds.items():
        refused = _below_threshold(name, bound, challenger, metric, custom)
        if refused:
            return False, refused
    mine = challenger[metric.name]
    if trivial is not None and not trivial.beaten(spec.significance):
        return False, (
            f"rejected: {metric.name} {number(mine)} is no better than {trivial.name} "
            f"({number(trivial.value)}) on the same {rows:,} holdout rows "
            f"(p = {trivial.comparison.p_value:.3f})"
        )
    if champion is None or comparison is None:
        return True, f"first model: {metric.name} {number(mine)} on {rows:,} holdout rows"
    return _versus_champion(metric, mine, champion, comparison, spec, rows, compared, confidence)


def _versus_champion(
    metric: Metric,
    mine: float,
    champion: dict[str, float],
    comparison: PairedComparison,
    spec: PromotionSpec,
    rows: int,
    compared: int,
    confidence: float,
) -> tuple[bool, str]:
    """(promoted, reason) against the champion: a large enough improvement, significant
    after the correction for the ``compared`` candidates when ``spec.significance`` is set."""
    versus = (
        describe_change(
            metric,
            champion[metric.name],
            mine,
            comparison.low,
            comparison.high,
            confidence,
            versus="the champion's",
        )
        + f" on the same {rows:,} holdout rows"
    )
    if comparison.improvement <= spec.margin:
        needed = f"an improvement of more than {spec.margin:g}" if spec.margin else "an improvement"
        return False, f"rejected: {versus}; {needed} is needed"
    if spec.significance is not None:
        level = spec.significance / max(compared, 1)
        if comparison.p_value >= level:
            among = f" ({spec.significance:g} / {compared} candidates)" if compared > 1 else ""
            return False, (
                f"rejected: {versus}; not significant (p = {comparison.p_value:.3f}, "
                f"needs < {level:.3g}{among})"
            )
    return True, f"promoted: {versus}"


def _below_threshold(
    name: str, bound: float, challenger: dict[str, float], metric: Metric, custom
) -> str | None:
    """Why ``challenger`` misses the threshold on ``name`` (None when it meets it)."""
    if name == metric.name:
        bounded = metric
    else:
        bounded = get_metric(name, metric.task, custom)
    value = challenger.get(name)
    if value is None:
        return f"rejected: {name} could not be measured (the model has no predict_proba)"
    if bounded.higher_is_better and value < bound:
        return f"rejected: {name} {number(value)} is below the threshold {number(bound)}"
    if not bounded.higher_is_better and value > bound:
        return f"rejected: {name} {number(value)} is above the threshold {number(bound)}"
    return None
