"""Drift results as a table: one row per tested column, from a report's JSON form.

``DriftReport.to_frame()`` and ``RunReport.to_frame()`` both read the ``features`` mapping
of ``DriftReport.to_dict()``, so a report read back from the store gives the same table as
the one just computed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FRAME_COLUMNS", "features_frame"]

#: the columns of :func:`features_frame`, in order (the index is ``column``)
FRAME_COLUMNS = (
    "kind",
    "test",
    "statistic",
    "p_value",
    "p_value_raw",
    "threshold",
    "effect",
    "effect_size",
    "effect_threshold",
    "significant",
    "material",
    "drift",
    "verdict",
    "small_sample",
    "n_reference",
    "n_current",
    "missing_reference",
    "missing_current",
)


def features_frame(features: dict[str, dict[str, Any]] | None) -> pd.DataFrame:
    """One row per column of ``features`` (``DriftReport.to_dict()["features"]``), indexed
    by the column's name; missing numbers are NaN.

    Examples
    --------
    >>> frame = features_frame({"x": {"kind": "numeric", "test": "ks", "statistic": 0.3,
    ...     "p_value": 0.001, "threshold": 0.05, "drift": True, "verdict": "drift",
    ...     "effect": {"name": "wasserstein", "value": 0.4, "threshold": 0.1,
    ...                "material": True}}})
    >>> frame.loc["x", ["test", "effect", "verdict"]].tolist(), float(frame.loc["x", "p_value"])
    (['ks', 'wasserstein', 'drift'], 0.001)
    >>> features_frame({}).shape
    (0, 18)
    """
    rows = [_row(entry) for entry in (features or {}).values()]
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS), index=list(features or {}))
    frame.index.name = "column"
    for name in ("statistic", "p_value", "p_value_raw", "threshold", "effect_size"):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    frame["effect_threshold"] = pd.to_numeric(frame["effect_threshold"]).astype(float)
    return frame


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    effect = entry.get("effect") or {}
    significance = entry.get("significance") or {}
    return {
        "kind": entry.get("kind"),
        "test": entry.get("test"),
        "statistic": entry.get("statistic"),
        "p_value": entry.get("p_value"),
        "p_value_raw": entry.get("p_value_raw"),
        "threshold": entry.get("threshold"),
        "effect": effect.get("name") or None,
        "effect_size": effect.get("value"),
        "effect_threshold": effect.get("threshold"),
        "significant": bool(significance.get("significant", entry.get("drift", False))),
        "material": bool(effect.get("material", True)),
        "drift": bool(entry.get("drift", False)),
        "verdict": entry.get("verdict"),
        "small_sample": bool(entry.get("small_sample", False)),
        "n_reference": entry.get("n_reference"),
        "n_current": entry.get("n_current"),
        "missing_reference": entry.get("missing_reference"),
        "missing_current": entry.get("missing_current"),
    }
