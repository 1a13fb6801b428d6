"""Each column's shares in the real and synthetic tables, for the evaluation report's plots.

- A categorical column: bars of its most frequent labels (:data:`PLOT_LABELS`, the rest pooled).
- A numeric column with few distinct real values (at most :data:`FEW_VALUES`: counts, ratings,
  0/1 flags): a bar per value, side by side, and one ``other`` bar for synthetic values that
  are none of them (only when there are some).
- Any other numeric or datetime column: :data:`PLOT_BINS` equal-width bins over the real range
  (values outside it counted in the edge bins).

Shares are out of every row, missing included, so the bars of a column with missing values
sum to less than one.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from calmops.data_generators.evaluation.tables import align
>>> real = pd.DataFrame({"visits": [1, 2, 2, 3] * 5, "x": np.linspace(0, 1, 20)})
>>> synthetic = pd.DataFrame({"visits": [2, 2, 3, 7] * 5, "x": np.linspace(0, 1, 20) ** 2})
>>> shapes = distributions(align(real, synthetic))
>>> shapes["visits"]["labels"], shapes["visits"]["synthetic"]
(['1', '2', '3', 'other'], [0.0, 0.5, 0.25, 0.25])
>>> shapes["x"]["type"], len(shapes["x"]["edges"])
('histogram', 21)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.data_generators.evaluation.tables import Aligned, category_codes

__all__ = ["FEW_VALUES", "PLOT_BINS", "PLOT_LABELS", "distributions"]

PLOT_BINS = 20
PLOT_LABELS = 20
FEW_VALUES = 12


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _value_shares(column: np.ndarray, values: np.ndarray) -> tuple[list[float], float]:
    """Share of rows at each of ``values``, and the share at none of them (missing aside)."""
    kept = column[~np.isnan(column)]
    counts = np.array([(kept == v).sum() for v in values], dtype=float)
    rows = max(len(column), 1)
    return (counts / rows).tolist(), float((kept.size - counts.sum()) / rows)


def _value_bars(present: np.ndarray, real: np.ndarray, synthetic: np.ndarray) -> dict[str, Any]:
    values = np.unique(present)
    labels = [_label(v) for v in values]
    real_shares, _ = _value_shares(real, values)  # every real value is one of them
    synthetic_shares, other = _value_shares(synthetic, values)
    if other > 0:
        labels.append("other")
        real_shares.append(0.0)
        synthetic_shares.append(other)
    return {"type": "bar", "labels": labels, "real": real_shares, "synthetic": synthetic_shares}


def _histogram(present: np.ndarray, real: np.ndarray, synthetic: np.ndarray) -> dict[str, Any]:
    low, high = float(present.min()), float(present.max())
    edges = np.linspace(low, high if high > low else low + 1, PLOT_BINS + 1)
    shares = []
    for values in (real, synthetic):
        kept = np.clip(values[~np.isnan(values)], low, high)
        counts = np.histogram(kept, bins=edges)[0]
        shares.append((counts / max(len(values), 1)).tolist())
    return {"type": "histogram", "edges": edges.tolist(), "real": shares[0], "synthetic": shares[1]}


def distributions(aligned: Aligned) -> dict[str, dict[str, Any]]:
    """Plot shares per column (see module doc); all-missing real columns are left out."""
    out: dict[str, dict[str, Any]] = {}
    for column in aligned.columns:
        real, synthetic = aligned.values[0][column.name], aligned.values[1][column.name]
        if column.kind == "numeric":
            present = real[~np.isnan(real)]
            if present.size == 0:
                continue
            is_datetime = column.source == "datetime"
            if not is_datetime and np.unique(present).size <= FEW_VALUES:
                out[column.name] = _value_bars(present, real, synthetic)
            else:
                out[column.name] = _histogram(present, real, synthetic) | {"datetime": is_datetime}
            continue
        (a, b), labels = category_codes([real, synthetic], PLOT_LABELS)
        n = len(labels)
        out[column.name] = {
            "type": "bar",
            "labels": labels,
            "real": (np.bincount(a, minlength=n) / len(a)).tolist(),
            "synthetic": (np.bincount(b, minlength=n) / len(b)).tolist(),
        }
    return out
