"""The promotion rule: does a challenger replace the champion?

It must pass the absolute thresholds (``promotion.thresholds``) and, when a champion exists,
beat it on the same holdout rows by more than ``promotion.margin`` on the primary metric —
and, if ``promotion.significance`` is set, with a paired bootstrap p-value below it.
"""

from __future__ import annotations

from calmops.models.metrics import Metric, PairedComparison, get_metric
from calmops.spec import PromotionSpec

__all__ = ["judge"]


def judge(
    metric: Metric,
    challenger: dict[str, float],
    champion: dict[str, float] | None,
    comparison: PairedComparison | None,
    spec: PromotionSpec,
    rows: int,
) -> tuple[bool, str]:
    """(promoted, reason) for a challenger with these holdout metrics.

    Examples
    --------
    >>> from calmops.models.metrics import primary_metric
    >>> judge(primary_metric("classification"), {"balanced_accuracy": 0.8}, None, None,
    ...       PromotionSpec(thresholds={"balanced_accuracy": 0.9}), rows=100)
    (False, 'rejected: balanced_accuracy 0.800 is below the threshold 0.900')
    """
    for name, bound in spec.thresholds.items():
        bounded = get_metric(name, metric.task)
        value = challenger[name]
        if bounded.higher_is_better and value < bound:
            return False, f"rejected: {name} {value:.3f} is below the threshold {bound:.3f}"
        if not bounded.higher_is_better and value > bound:
            return False, f"rejected: {name} {value:.3f} is above the threshold {bound:.3f}"
    mine = challenger[metric.name]
    if champion is None or comparison is None:
        return True, f"first model: {metric.name} {mine:.3f} on {rows:,} holdout rows"
    theirs = champion[metric.name]
    versus = (
        f"{metric.name} {mine:.3f} vs the champion's {theirs:.3f} on the same {rows:,} holdout "
        f"rows (difference {comparison.improvement:+.3f}, interval {comparison.low:+.3f} to "
        f"{comparison.high:+.3f})"
    )
    if comparison.improvement <= spec.margin:
        needed = f"more than {spec.margin:+.3f}" if spec.margin else "an improvement"
        return False, f"rejected: {versus}; {needed} is needed"
    if spec.significance is not None and comparison.p_value >= spec.significance:
        return False, (
            f"rejected: {versus}; not significant (p = {comparison.p_value:.3f}, "
            f"needs < {spec.significance:g})"
        )
    return True, f"promoted: {versus}"
