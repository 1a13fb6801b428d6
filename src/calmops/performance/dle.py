"""DLE: a regressor's MAE and RMSE on unlabelled rows, from a model of its errors.

Two ``HistGradientBoostingRegressor`` models are trained on the held-out rows — features plus
the champion's prediction — one on the absolute error ``|y - ŷ|``, one on the squared error
(NannyML's direct loss estimation). A batch's MAE is the mean predicted absolute error, its
RMSE the root of the mean predicted squared error.

The interval is a normal approximation of the batch's sampling noise around those means:
row ``i``'s absolute error has variance ``s_i - a_i^2`` (``a``: predicted absolute, ``s``:
predicted squared error), so ``MAE ± z sqrt(sum(s_i - a_i^2)) / n``; its squared error has
variance ``(k - 1) s_i^2``, with ``k`` the kurtosis of the held-out errors scaled by
``sqrt(s)`` (3 for normal errors), and the RMSE interval is the root of the MSE interval. It
does not cover the loss model's own error, and nothing label-free covers concept drift.

>>> import pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"x": rng.uniform(0, 2, 2000)})
>>> y = X["x"] + rng.normal(0, X["x"])  # noise grows with x; the model predicts x
>>> est = DLE.fit(X, y.to_numpy(), X["x"].to_numpy())
>>> shifted = pd.DataFrame({"x": rng.uniform(1.5, 2, 500)})
>>> e = est.estimate(shifted, shifted["x"].to_numpy())
>>> truth = 1.75 * np.sqrt(2 / np.pi)  # the mean |error| on the shifted rows: 1.40
>>> bool(abs(e.metrics["mae"].value - truth) < 0.15), e.trusted
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import norm
from sklearn.ensemble import HistGradientBoostingRegressor

from calmops.models.artifacts import load_model, save_model
from calmops.performance.base import MIN_ROWS, Estimate, PerformanceEstimator, chosen_metrics
from calmops.performance.coverage import MAX_UNCOVERED, ScoreCoverage
from calmops.performance.encoding import FeaturePlan
from calmops.performance.intervals import estimated

__all__ = ["DLE"]


def _loss_model(categorical: tuple[bool, ...], seed: int) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        max_iter=200,
        learning_rate=0.05,
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=np.asarray([*categorical, False]) if any(categorical) else None,
        early_stopping=False,
        random_state=seed,
    )


class DLE(PerformanceEstimator):
    """Direct loss estimation (see the module docstring)."""

    name = "dle"
    metric_names = ("mae", "rmse")

    def __init__(self, plan, models, coverage, kurtosis, holdout_rows, caveats=()) -> None:
        self.plan: FeaturePlan = plan
        self.models: dict[str, HistGradientBoostingRegressor] = models
        self.coverage: ScoreCoverage = coverage
        self.kurtosis = float(kurtosis)
        self.holdout_rows = int(holdout_rows)
        self.caveats = tuple(caveats)

    @classmethod
    def fit(cls, X, y, predicted, *, seed: int = 0) -> DLE:
        """Learn the champion's absolute and squared errors on held-out rows."""
        plan = FeaturePlan.fit(X)
        predicted = np.asarray(predicted, dtype=float)
        features = np.c_[plan.transform(X), predicted]
        error = np.asarray(y, dtype=float) - predicted
        models = {
            "abs": _loss_model(plan.categorical, seed).fit(features, np.abs(error)),
            "sq": _loss_model(plan.categorical, seed).fit(features, error**2),
        }
        scale = np.sqrt(np.maximum(models["sq"].predict(features), 1e-12))
        z = error / scale
        kurtosis = float(np.mean(z**4) / max(np.mean(z**2) ** 2, 1e-12))
        caveats = []
        if len(error) < MIN_ROWS:
            caveats.append(
                f"loss model trained on {len(error)} held-out rows (fewer than {MIN_ROWS}): "
                "the estimate is rough"
            )
        return cls(plan, models, ScoreCoverage.fit(predicted), kurtosis, len(error), caveats)

    def estimate(
        self,
        X,
        predicted,
        proba=None,
        *,
        metrics: Iterable[str] | None = None,
        confidence: float = 0.95,
        seed: int = 0,
    ) -> Estimate:
        names = chosen_metrics(metrics, self.metric_names)
        predicted = np.asarray(predicted, dtype=float)
        rows = len(predicted)
        if rows == 0:
            return Estimate(self.name, 0, {}, False, ("the batch has no rows",))
        features = np.c_[self.plan.transform(X), predicted]
        a = np.maximum(self.models["abs"].predict(features), 0.0)
        s = np.maximum(self.models["sq"].predict(features), 0.0)
        z = float(norm.ppf(0.5 + confidence / 2))
        out = {}
        if "mae" in names:
            se = np.sqrt(np.maximum(s - a**2, 0.0).sum()) / rows
            out["mae"] = estimated("mae", a.mean(), a.mean() - z * se, a.mean() + z * se)
        if "rmse" in names:
            mse = s.mean()
            se = np.sqrt(max(self.kurtosis - 1, 0.0) * (s**2).sum()) / rows
            low, high = np.sqrt(max(mse - z * se, 0.0)), np.sqrt(mse + z * se)
            out["rmse"] = estimated("rmse", np.sqrt(mse), low, high)
        caveats = [*self.caveats, *self._shift_caveats(X, predicted)]
        return Estimate(self.name, rows, {n: out[n] for n in names}, not caveats, tuple(caveats))

    def _shift_caveats(self, X, predicted) -> list[str]:
        caveats = []
        caveat = self.coverage.caveat(predicted, "prediction")
        if caveat:
            caveats.append(caveat)
        outside = self.plan.outside_share(X)
        if outside > MAX_UNCOVERED:
            caveats.append(
                f"{outside:.0%} of the batch has a feature outside its held-out range "
                f"(more than {MAX_UNCOVERED:.0%}): the loss model extrapolates there"
            )
        return caveats

    def state(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_dict(),
            "coverage": self.coverage.to_dict(),
            "kurtosis": self.kurtosis,
            "holdout_rows": self.holdout_rows,
            "caveats": list(self.caveats),
        }

    def write_files(self, folder: Path) -> dict[str, Any]:
        path, digest = save_model(self.models, folder)
        return {"loss_models": {"file": path.name, "sha256": digest}}

    @classmethod
    def from_state(cls, state: dict[str, Any], folder: Path) -> DLE:
        stored = state["loss_models"]
        models = load_model(folder / stored["file"], stored["sha256"])
        return cls(
            FeaturePlan.from_dict(state["plan"]),
            models,
            ScoreCoverage.from_dict(state["coverage"]),
            state["kurtosis"],
            state["holdout_rows"],
            state.get("caveats") or (),
        )
