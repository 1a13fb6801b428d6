"""Where, inside a batch, the champion's errors changed, and the holdout that follows from it.

The streaming detector says *that* the error stream changed and at which row it noticed
(``signals["detector"].details["row"]``); it notices some rows after the change itself. The
change is located by binary segmentation of the batch's error stream: the split that
maximises the two-sample statistic of a shift in the mean error, accepted when the errors
after it are higher beyond chance (a z-test at ``Z_CRITICAL``, strict because the split is
the best of many) and, when the detector fired, at or before its detection row.

Once located, the evaluation rows of a retraining come from after the change: the new
concept is what a challenger must serve, so it is judged there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calmops.pipeline.context import RunContext
from calmops.pipeline.signals import error_stream
from calmops.pipeline.training import random_holdout

__all__ = ["MIN_SEGMENT", "ChangePoint", "batch_change", "locate_change", "recent_holdout"]

MIN_SEGMENT = 30  # rows on each side of a split, and the fewest rows a holdout may have
Z_CRITICAL = 4.0


@dataclass(frozen=True)
class ChangePoint:
    """The first row of the new concept in the batch, with the errors before and after."""

    row: int
    error_before: float
    error_after: float
    z: float

    def describe(self, rows: int) -> str:
        return (
            f"the champion's errors changed at row {self.row + 1:,} of {rows:,} "
            f"(mean error {self.error_before:.3f} before, {self.error_after:.3f} after, "
            f"z = {self.z:.1f})"
        )


def locate_change(
    errors: np.ndarray, *, before: int | None = None, min_segment: int = MIN_SEGMENT
) -> ChangePoint | None:
    """The most likely single rise in the mean of ``errors``, or None if there is none.

    ``before`` bounds the change from above (a detector noticed it at that row).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> errors = np.concatenate([rng.random(600) < 0.05, rng.random(400) < 0.45]).astype(float)
    >>> change = locate_change(errors)
    >>> change.row, round(change.error_before, 3), round(change.error_after, 3)
    (606, 0.04, 0.447)
    >>> locate_change((rng.random(1000) < 0.1).astype(float)) is None
    True
    """
    e = np.asarray(errors, dtype=float)
    n = len(e)
    if n < 2 * min_segment:
        return None
    cumulative = np.cumsum(e)
    k = np.arange(min_segment, n - min_segment + 1)  # rows before the split
    mean_before = cumulative[k - 1] / k
    mean_after = (cumulative[-1] - cumulative[k - 1]) / (n - k)
    statistic = k * (n - k) / n * (mean_after - mean_before) ** 2
    statistic[mean_after <= mean_before] = -1.0  # only a rise of the error is a change
    if before is not None:
        statistic[k > before + 1] = -1.0
    if statistic.max() <= 0:
        return None
    best = int(k[int(np.argmax(statistic))])
    first, second = e[:best], e[best:]
    spread = np.sqrt(e.var(ddof=1) * (1 / len(first) + 1 / len(second)))  # pooled: as if no change
    z = (second.mean() - first.mean()) / spread if spread > 0 else float("inf")
    if z < Z_CRITICAL:
        return None
    return ChangePoint(best, float(first.mean()), float(second.mean()), float(z))


def batch_change(ctx: RunContext) -> ChangePoint | None:
    """The change inside the batch, when the run retrains on a labelled signal."""
    decision = ctx.decision
    if ctx.predictions is None or decision is None or decision.kind != "retrain":
        return None
    if not set(decision.triggers) & {"performance", "detector"}:
        return None
    errors = error_stream(ctx.task, ctx.target.to_numpy(), ctx.predictions)
    detector = ctx.signals.get("detector")
    noticed = detector.details.get("row") if detector is not None and detector.fired else None
    return locate_change(errors, before=noticed)


def recent_holdout(ctx: RunContext) -> np.ndarray:
    """The evaluation rows: after a located change, a seeded share of the rows after it (at
    most half of them, so the newest concept also trains); otherwise a seeded share of the
    batch (:func:`~calmops.pipeline.training.random_holdout`). Sets ``ctx.change``."""
    ctx.change = batch_change(ctx)
    if ctx.change is None:
        return random_holdout(ctx)
    rows = np.arange(ctx.change.row, len(ctx.target))
    size = min(int(round(len(ctx.target) * ctx.spec.promotion.holdout)), len(rows) // 2)
    if size < MIN_SEGMENT:
        ctx.notes.append(
            f"{ctx.change.describe(len(ctx.target))}; too few rows after it to hold out, "
            "so the holdout is drawn from the whole batch"
        )
        ctx.change = None
        return random_holdout(ctx)
    rng = np.random.default_rng(ctx.spec.seed)
    return np.sort(rng.choice(rows, size=size, replace=False))
