"""DLE: a regressor's MAE and RMSE on unlabelled rows, from a model of its errors.

Two gradient-boosting models are trained on the held-out rows — features plus the
champion's prediction — one on the absolute error ``|y - ŷ|``, one on the squared error
(NannyML's direct loss estimation). A batch's MAE is the mean predicted absolute error, its
RMSE the root of the mean predicted squared error. The loss models are 200 trees of depth 2
(``HistGradientBoostingRegressor``), compiled into lookup tables
(:class:`~calmops.performance.forest.LookupForest`): a batch costs one ``searchsorted`` per
feature and one lookup per feature pair, whatever the number of trees.

The interval has two parts, added in quadrature. The batch's sampling noise around those
means: row ``i``'s absolute error has variance ``s_i - a_i^2`` (``a``: predicted absolute,
``s``: predicted squared error), so ``se = sqrt(sum(s_i - a_i^2)) / n`` (when MAE alone is
asked for, the squared-error model is skipped and ``s_i - a_i^2`` is taken as ``c a_i^2``,
``c`` the held-out ratio of the two); its squared error has variance ``(k - 1) s_i^2``, with
``k`` the kurtosis of the held-out errors scaled by ``sqrt(s)`` (3 for normal errors), and
the RMSE interval is the root of the MSE interval. And the loss model's own error,
measured at fit time (``calmops.performance.transfer``: 3-fold cross-fitted loss models
against the realized loss on the outer quarters of every feature). Neither covers a loss
model that stops holding: features beyond the held-out range are flagged untrusted, and
nothing label-free covers concept drift.

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
from statistics import NormalDist
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from calmops.models.artifacts import load_model, save_model
from calmops.performance.base import MIN_ROWS, Estimate, PerformanceEstimator, chosen_metrics
from calmops.performance.coverage import MAX_UNCOVERED, ScoreCoverage
from calmops.performance.encoding import FeaturePlan
from calmops.performance.forest import LookupForest
from calmops.performance.intervals import estimated
from calmops.performance.transfer import folds_of, shift_groups, transfer_error

__all__ = ["DLE"]


def _loss_model(features: np.ndarray, target: np.ndarray, seed: int) -> LookupForest:
    """200 depth-2 trees (categories as their codes), compiled into lookup tables."""
    model = HistGradientBoostingRegressor(
        max_iter=200,
        learning_rate=0.2,
        max_depth=2,
        min_samples_leaf=20,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    return LookupForest.from_sklearn(model.fit(features, target))


def _transfer(features, targets: dict[str, np.ndarray], seed: int) -> dict[str, float]:
    """The loss models' error on shifted sub-populations of the held-out rows, beyond
    sampling noise (``calmops.performance.transfer``), per target."""
    folds = folds_of(len(features), seed)
    groups = shift_groups(features)
    out = {}
    for name, target in targets.items():
        crossed = np.empty(len(target))
        for fold in np.unique(folds):
            test = folds == fold
            crossed[test] = _loss_model(features[~test], target[~test], seed).predict(
                features[test]
            )
        gaps = [crossed[g].mean() - target[g].mean() for g in groups]
        noise = [target[g].var(ddof=1) / g.sum() for g in groups]
        out[name] = transfer_error(np.array(gaps), np.array(noise))
    return out


class DLE(PerformanceEstimator):
    """Direct loss estimation (see the module docstring)."""

    name = "dle"
    metric_names = ("mae", "rmse")

    def __init__(
        self, plan, models, coverage, kurtosis, spread, holdout_rows, caveats=(), transfer=None
    ) -> None:
        self.plan: FeaturePlan = plan
        self.models: dict[str, LookupForest] = models  # older saves: scikit-learn models
        self.coverage: ScoreCoverage = coverage
        self.kurtosis = float(kurtosis)
        self.spread = float(spread)
        self.holdout_rows = int(holdout_rows)
        self.caveats = tuple(caveats)
        self.transfer = dict(transfer or {"abs": 0.0, "sq": 0.0})

    @classmethod
    def fit(cls, X, y, predicted, *, seed: int = 0) -> DLE:
        """Learn the champion's absolute and squared errors on held-out rows."""
        plan = FeaturePlan.fit(X)
        predicted = np.asarray(predicted, dtype=float)
        features = np.c_[plan.transform(X), predicted]
        error = np.asarray(y, dtype=float) - predicted
        targets = {"abs": np.abs(error), "sq": error**2}
        models = {name: _loss_model(features, t, seed) for name, t in targets.items()}
        scale = np.sqrt(np.maximum(models["sq"].predict(features), 1e-12))
        z = error / scale
        kurtosis = float(np.mean(z**4) / max(np.mean(z**2) ** 2, 1e-12))
        a = np.maximum(models["abs"].predict(features), 0.0)
        spread = float(np.mean(np.maximum(models["sq"].predict(features) - a**2, 0.0)))
        spread = spread / max(float(np.mean(a**2)), 1e-12)
        caveats = []
        if len(error) < MIN_ROWS:
            caveats.append(
                f"loss model trained on {len(error)} held-out rows (fewer than {MIN_ROWS}): "
                "the estimate is rough"
            )
        coverage = ScoreCoverage.fit(predicted)
        transfer = _transfer(features, targets, seed)
        return cls(plan, models, coverage, kurtosis, spread, len(error), caveats, transfer)

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
        matrix = self.plan.transform(X)
        features = np.c_[matrix, predicted]
        a = np.maximum(self.models["abs"].predict(features), 0.0)
        if "rmse" in names:
            s = np.maximum(self.models["sq"].predict(features), 0.0)
            variance = np.maximum(s - a**2, 0.0)
        else:  # MAE alone: the held-out ratio of Var(|e| | x) to E(|e| | x)^2
            variance = self.spread * a**2
        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        out = {}
        if "mae" in names:
            se = np.sqrt(variance.sum() / rows**2 + self.transfer["abs"] ** 2)
            out["mae"] = estimated("mae", a.mean(), a.mean() - z * se, a.mean() + z * se)
        if "rmse" in names:
            mse = s.mean()
            sampling = max(self.kurtosis - 1, 0.0) * (s**2).sum() / rows**2
            se = np.sqrt(sampling + self.transfer["sq"] ** 2)
            low, high = np.sqrt(max(mse - z * se, 0.0)), np.sqrt(mse + z * se)
            out["rmse"] = estimated("rmse", np.sqrt(mse), low, high)
        caveats = [*self.caveats, *self._shift_caveats(matrix, predicted)]
        return Estimate(self.name, rows, {n: out[n] for n in names}, not caveats, tuple(caveats))

    def _shift_caveats(self, matrix, predicted) -> list[str]:
        caveats = []
        caveat = self.coverage.caveat(predicted, "prediction")
        if caveat:
            caveats.append(caveat)
        outside = self.plan.outside_share_of(matrix)
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
            "spread": self.spread,
            "holdout_rows": self.holdout_rows,
            "caveats": list(self.caveats),
            "transfer": self.transfer,
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
            state["spread"],
            state["holdout_rows"],
            state.get("caveats") or (),
            state.get("transfer"),  # absent before the transfer error: sampling alone
        )
