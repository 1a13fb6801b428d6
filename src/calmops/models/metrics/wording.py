"""How a change of a metric is said, following its direction: the one place that words it.

"rmse rose from 62.3 to 95.3 (worse; 99% interval of the increase +17.2 to +51.1)": a rise is
said with the interval of the increase, a fall with the interval of the drop, so an interval
never reads as the opposite of the change it qualifies.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["describe_change", "number"]


def number(value: float) -> str:
    """A metric value for text: 3 decimals below 10, 1 up to 10,000, then whole numbers.

    >>> number(0.91234), number(62.345), number(123456.7)
    ('0.912', '62.3', '123,457')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if abs(value) < 10:
        return f"{value:.3f}"
    return f"{value:.1f}" if abs(value) < 10_000 else f"{value:,.0f}"


def _signed(value: float) -> str:
    text = number(value)
    return text if text.startswith("-") or text == "n/a" else f"+{text}"


def describe_change(
    metric: Any,
    before: float,
    after: float,
    low: float,
    high: float,
    confidence: float,
    *,
    versus: str | None = None,
) -> str:
    """Say how ``metric`` went from ``before`` to ``after``; ``low``/``high`` bound the
    improvement (positive: better, as :class:`PairedComparison`); ``versus`` names what
    ``before`` belongs to when the two are models, not times ("the champion's").

    Examples
    --------
    >>> from calmops.models.metrics import get_metric
    >>> rmse = get_metric("rmse", "regression")
    >>> describe_change(rmse, 62.3, 95.3, -51.1, -17.2, 0.99)
    'rmse rose from 62.3 to 95.3 (worse; 99% interval of the increase +17.2 to +51.1)'
    >>> auc = get_metric("balanced_accuracy", "classification")
    >>> describe_change(auc, 0.91, 0.78, -0.18, -0.08, 0.99)
    'balanced_accuracy fell from 0.910 to 0.780 (worse; 99% interval of the drop +0.080 to +0.180)'
    >>> describe_change(rmse, 62.3, 55.0, 3.0, 11.0, 0.95, versus="the champion's")
    "rmse 55.0 vs the champion's 62.3: lower (better; 95% interval of the decrease +3.0 to +11.0)"
    """
    higher = bool(metric.higher_is_better)
    # the interval of after - before, from the interval of the improvement
    rise_low, rise_high = (low, high) if higher else (-high, -low)
    rose = after > before
    if after == before:
        kind, verdict, word = "change", "no change", "held"
        bounds = (rise_low, rise_high)
    elif rose:
        kind, verdict = "increase", "better" if higher else "worse"
        word, bounds = "rose", (rise_low, rise_high)
    else:
        kind, verdict = "drop" if versus is None else "decrease", "worse" if higher else "better"
        word, bounds = "fell", (-rise_high, -rise_low)
    detail = f"{confidence:.0%} interval of the {kind} {_signed(bounds[0])} to {_signed(bounds[1])}"
    if versus is not None:
        side = "higher" if rose else "lower" if after < before else "equal"
        both = f"{number(after)} vs {versus} {number(before)}"
        return f"{metric.name} {both}: {side} ({verdict}; {detail})"
    if word == "held":
        return f"{metric.name} held at {number(after)} ({detail})"
    return f"{metric.name} {word} from {number(before)} to {number(after)} ({verdict}; {detail})"
