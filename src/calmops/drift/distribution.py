"""Small per-column histograms of both sides, for plots (the HTML report)."""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.drift.sides import NumericSide, Side, aligned_counts

__all__ = ["distribution"]

NUMERIC_BINS = 30
TOP_CATEGORIES = 20


def distribution(reference: Side, current: Side) -> dict[str, Any]:
    """Shares of both sides over the same bins (numbers) or categories (text).

    Numbers: ``NUMERIC_BINS`` equal-width bins over the range of both sides (the reference
    side from its profile sample); whole numbers get bins centred on whole numbers.
    Categories: the ``TOP_CATEGORIES`` most frequent overall, the rest pooled as ``(other)``.

    Examples
    --------
    >>> from calmops.drift.sides import CategoricalSide
    >>> ref, cur = CategoricalSide.from_values(["a", "b"]), CategoricalSide.from_values(["b"])
    >>> d = distribution(ref, cur)
    >>> d["labels"], d["reference"], d["current"]
    (['b', 'a'], [0.5, 0.5], [1.0, 0.0])
    """
    if isinstance(reference, NumericSide) and isinstance(current, NumericSide):
        low = min(reference.min, current.min)
        high = max(reference.max, current.max)
        if not high > low:
            high = low + 1.0
        edges = np.linspace(low, high, NUMERIC_BINS + 1)
        if _integral(reference.sample) and _integral(current.sample):
            # whole numbers: bins centred on them, so no bin straddles two of them unevenly
            step = max(1.0, float(np.ceil((high - low + 1) / NUMERIC_BINS)))
            edges = np.arange(low - 0.5, high + step, step)
        ref = np.histogram(reference.sample, edges)[0] / max(reference.sample.size, 1)
        cur = np.histogram(current.sample, edges)[0] / max(current.sample.size, 1)
        return {
            "type": "histogram",
            "edges": edges.tolist(),
            "reference": ref.round(6).tolist(),
            "current": cur.round(6).tolist(),
        }
    labels, r, c = aligned_counts(reference, current)
    order = np.argsort(-(r / max(r.sum(), 1) + c / max(c.sum(), 1)), kind="stable")
    top, rest = order[:TOP_CATEGORIES], order[TOP_CATEGORIES:]
    names = [str(v) for v in labels[top]]
    ref_share = (r[top] / max(r.sum(), 1)).tolist()
    cur_share = (c[top] / max(c.sum(), 1)).tolist()
    if rest.size:
        names.append("(other)")
        ref_share.append(float(r[rest].sum() / max(r.sum(), 1)))
        cur_share.append(float(c[rest].sum() / max(c.sum(), 1)))
    return {
        "type": "bar",
        "labels": names,
        "reference": [round(v, 6) for v in ref_share],
        "current": [round(v, 6) for v in cur_share],
    }


def _integral(values: np.ndarray) -> bool:
    return bool(values.size) and bool(np.all(values == np.round(values)))
