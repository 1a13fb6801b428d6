"""Regressors on the Performance tab: residuals of the champion on its full holdout."""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.web import figures
from calmops.web.sections import figure, kpi, kpis, notice

__all__ = ["MAX_POINTS", "regression_sections"]

#: points of the residual scatter at most (the histogram takes every row)
MAX_POINTS = 5_000


def regression_sections(reader, name, registry, champion) -> list[dict[str, Any]]:
    holdout = registry.holdout(champion)
    if holdout is None:
        return [notice("performance-residuals", "The champion has no saved holdout.", "warn")]
    y = np.asarray(holdout.y_true, dtype=float)
    predicted = np.asarray(holdout.y_pred, dtype=float)
    residuals = y - predicted
    n = y.size
    take = np.arange(n) if n <= MAX_POINTS else np.linspace(0, n - 1, MAX_POINTS).astype(int)
    scatter = {
        "data": [
            {"type": "scattergl", "mode": "markers", "x": predicted[take].round(6).tolist(),
             "y": residuals[take].round(6).tolist(), "name": "holdout rows",
             "marker": {"size": 4, "opacity": 0.5, "color": "#2563eb"}},
        ],
        "layout": figures.layout("residual (true − predicted)", "predicted"),
    }  # fmt: skip
    scatter["layout"]["shapes"] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
         "line": {"dash": "dot", "color": "#dc2626"}}
    ]  # fmt: skip
    histogram = {
        "data": [{"type": "histogram", "x": residuals.round(6).tolist(), "nbinsx": 40,
                  "marker": {"color": "#2563eb"}, "name": "residuals"}],
        "layout": figures.layout("rows", "residual"),
    }  # fmt: skip
    shown = "every row" if n <= MAX_POINTS else f"{MAX_POINTS:,} evenly spaced rows"
    return [
        figure(
            "performance-residuals",
            f"Residuals of v{champion.version} on its holdout ({n:,} rows)",
            scatter,
            note=f"The scatter shows {shown}; the histogram every row.",
        ),
        figure("performance-residual-histogram", "Distribution of residuals", histogram),
        kpis(
            "performance-residual-kpis",
            [
                kpi("mean residual", float(residuals.mean())),
                kpi("MAE", float(np.abs(residuals).mean())),
                kpi("RMSE", float(np.sqrt((residuals**2).mean()))),
            ],
        ),
    ]
