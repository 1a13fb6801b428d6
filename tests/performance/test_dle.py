"""DLE recovers a regressor's MAE and RMSE under covariate shift when the noise depends on x."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.performance import fit_estimator


def _world(n: int, low: float, high: float, rng: np.random.Generator):
    """y = sin(x0) + x1 + noise of scale 0.2 + x0 (so the error grows with x0); the model
    predicts the noiseless part and a category shifts it by a known amount."""
    x0 = rng.uniform(low, high, n)
    x1 = rng.normal(size=n)
    colour = rng.choice(["red", "blue"], n)
    noise = rng.normal(0, 0.2 + x0) + np.where(colour == "red", 0.5, 0.0)
    X = pd.DataFrame({"x0": x0, "x1": x1, "colour": colour})
    predicted = np.sin(x0) + x1
    return X, predicted + noise, predicted


def test_dle_recovers_mae_and_rmse_on_shifted_batches():
    rng = np.random.default_rng(0)
    X, y, predicted = _world(4000, 0.0, 2.0, rng)
    est = fit_estimator("regression", X, y, predicted, None, None)
    assert est.name == "dle"
    errors = {"mae": [], "rmse": []}
    inside = []
    for _ in range(60):
        Xb, yb, pb = _world(500, 1.0, 2.0, rng)  # only the noisy half: a covariate shift
        e = est.estimate(Xb, pb, None)
        realized = {"mae": np.abs(yb - pb).mean(), "rmse": np.sqrt(((yb - pb) ** 2).mean())}
        for name in errors:
            errors[name].append(e.metrics[name].value - realized[name])
        inside.append(e.metrics["mae"].low <= realized["mae"] <= e.metrics["mae"].high)
        assert e.trusted, e.caveats
    # the shift raises the MAE from ~1.0 to ~1.4; the estimate follows it closely
    assert abs(np.mean(errors["mae"])) < 0.05
    assert np.mean(np.abs(errors["mae"])) < 0.08
    assert abs(np.mean(errors["rmse"])) < 0.08
    assert np.mean(inside) >= 0.85


def test_dle_metrics_match_the_registry_definitions_on_a_perfectly_known_loss():
    """A constant error of 2 everywhere: MAE 2, RMSE 2, whatever the batch."""
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"x": rng.normal(size=500)})
    predicted = X["x"].to_numpy()
    est = fit_estimator("regression", X, predicted + 2.0, predicted, None, None)
    e = est.estimate(X.iloc[:100], predicted[:100], None)
    assert e.metrics["mae"].value == pytest.approx(2.0, abs=1e-6)
    assert e.metrics["rmse"].value == pytest.approx(2.0, abs=1e-6)
    assert list(est.estimate(X, predicted, None, metrics=["rmse"]).metrics) == ["rmse"]
