"""Regressors: residuals on the full holdout."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.performance import build_performance


def test_residuals_for_regressors(reader) -> None:
    view = build_performance(reader, "reg")
    assert view["task"] == "regression"
    scatter = find(view, "performance-residuals")["figure"]["data"][0]
    assert len(scatter["x"]) == len(scatter["y"]) == 100  # the holdout: 25% of 400 rows
    rmse = {k["label"]: float(k["value"]) for k in find(view, "performance-residual-kpis")["items"]}
    assert 0.2 < rmse["RMSE"] < 0.5  # the noise was 0.3
    assert "performance-confusion" not in [s["id"] for s in view["sections"]]
