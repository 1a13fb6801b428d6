"""Data whose P(y | x) is fixed and known, so an estimate can be checked against the truth."""

from __future__ import annotations

import numpy as np
import pandas as pd


def logistic(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def binary_world(n: int, shift: float, rng: np.random.Generator):
    """Rows with x ~ N(shift, 1); P(y=1 | x) = logistic(2 x0 - x1). The model's probability
    is miscalibrated (its logit halved), so CBPE must calibrate it. Returns X, y, proba."""
    x = rng.normal(shift, 1.0, size=(n, 2))
    truth = logistic(2 * x[:, 0] - x[:, 1])
    y = (rng.uniform(size=n) < truth).astype(int)
    model = logistic(0.5 * (2 * x[:, 0] - x[:, 1]))
    return pd.DataFrame(x, columns=["x0", "x1"]), y, np.c_[1 - model, model]


def three_class_world(n: int, shift: float, rng: np.random.Generator):
    """Three classes with softmax(W x) as the truth; the model's scores are over-confident."""
    x = rng.normal(shift, 1.0, size=(n, 2))
    logits = x @ np.array([[1.5, -1.0, 0.0], [0.0, 1.0, -1.5]])
    truth = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = (rng.uniform(size=(n, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    sharp = np.exp(2 * logits)
    return pd.DataFrame(x, columns=["x0", "x1"]), y, sharp / sharp.sum(axis=1, keepdims=True)
