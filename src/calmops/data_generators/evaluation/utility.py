"""Utility: is a model trained on synthetic rows as good as one trained on real rows?

The same model (scikit-learn's histogram gradient boosting, native categoricals, seeded) is
trained on the real table (TRTR, train real test real) and on the synthetic table (TSTR, train
synthetic test real) to predict ``target`` from the other columns, and both are scored on the
holdout: balanced accuracy for a classification target, R² for a regression target. A
categorical or boolean target, or a numeric one with at most :data:`MAX_CLASSES` distinct
values in the real table, is a classification target. Rows whose target is missing are left
out. A training table with one class predicts that class.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from calmops.data_generators.evaluation.tables import align
>>> rng = np.random.default_rng(0)
>>> def table(n):
...     x = rng.normal(size=n)
...     return pd.DataFrame({"x": x, "y": np.where(x > 0, "pos", "neg")})
>>> real, synthetic, holdout = table(500), table(500), table(300)
>>> result = utility(align(real, synthetic, holdout), "y", seed=0)
>>> result.task, result.metric, result.trtr > 0.95, result.tstr > 0.95
('classification', 'balanced_accuracy', True, True)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from calmops.data_generators.evaluation.detection import feature_matrices, one_thread
from calmops.data_generators.evaluation.tables import MISSING, Aligned, category_codes
from calmops.errors import DataValidationError

__all__ = ["MAX_CLASSES", "Utility", "utility"]

MAX_CLASSES = 10
"""A numeric target with at most this many distinct values is treated as classes."""


@dataclass(frozen=True)
class Utility:
    """TRTR and TSTR scores on the holdout, the task and its metric."""

    target: str
    task: str
    metric: str
    trtr: float
    tstr: float


def _task(aligned: Aligned, target: str) -> str:
    column = next(c for c in aligned.columns if c.name == target)
    if column.kind == "categorical":
        return "classification"
    real = aligned.values[0][target]
    distinct = np.unique(real[~np.isnan(real)])
    return "classification" if distinct.size <= MAX_CLASSES else "regression"


def _labels(aligned: Aligned, target: str, task: str) -> list[np.ndarray]:
    arrays = [table[target] for table in aligned.values]
    if task == "regression":
        return arrays
    if aligned.columns[aligned.names.index(target)].kind == "numeric":
        arrays = [np.where(np.isnan(a), MISSING, a.astype(str)) for a in arrays]
    codes, _ = category_codes(arrays)
    return [np.where(a == MISSING, -1, c) for a, c in zip(arrays, codes, strict=True)]


def _fit_score(task: str, x, y, x_test, y_test, mask, seed: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import balanced_accuracy_score, r2_score

    categorical = mask if mask.any() else None
    if task == "regression":
        model = HistGradientBoostingRegressor(categorical_features=categorical, random_state=seed)
        return float(r2_score(y_test, model.fit(x, y).predict(x_test)))
    if np.unique(y).size < 2:
        predicted = np.full(len(y_test), y[0])
    else:
        model = HistGradientBoostingClassifier(categorical_features=categorical, random_state=seed)
        predicted = model.fit(x, y).predict(x_test)
    with warnings.catch_warnings():  # a class the holdout lacks is predicted: scored as is
        warnings.filterwarnings("ignore", "y_pred contains classes not in y_true")
        return float(balanced_accuracy_score(y_test, predicted))


def utility(aligned: Aligned, target: str, seed: int = 0) -> Utility:
    """TRTR and TSTR on the holdout (the third table of ``aligned``); see module doc."""
    if len(aligned.values) < 3:
        raise DataValidationError("utility needs a holdout table to test on; pass holdout=...")
    if target not in aligned.names:
        raise DataValidationError(
            f"target {target!r} is not a column; the tables have {', '.join(aligned.names)}"
        )
    task = _task(aligned, target)
    labels = _labels(aligned, target, task)
    columns = [(c.name, c.kind) for c in aligned.columns if c.name != target]
    if not columns:
        raise DataValidationError(f"utility needs columns besides the target {target!r}")
    (x_real, x_synth, x_hold), mask = feature_matrices(list(aligned.values), columns)
    kept = []
    for x, y in zip((x_real, x_synth, x_hold), labels, strict=True):
        present = np.isnan(y) if task == "regression" else y == -1
        kept.append((x[~present], y[~present]))
    (xr, yr), (xs, ys), (xh, yh) = kept
    if min(len(yr), len(ys), len(yh)) == 0:
        raise DataValidationError(f"target {target!r} is missing in every row of one table")
    with one_thread():
        trtr = _fit_score(task, xr, yr, xh, yh, mask, seed)
        tstr = _fit_score(task, xs, ys, xh, yh, mask, seed)
    metric = "r2" if task == "regression" else "balanced_accuracy"
    return Utility(target=target, task=task, metric=metric, trtr=trtr, tstr=tstr)
