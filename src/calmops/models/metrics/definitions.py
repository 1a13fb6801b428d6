"""Every built-in metric: its family, formula, direction and definition.

Classification, from the predicted labels: ``accuracy``, ``balanced_accuracy`` (mean recall
over the classes), ``f1_macro`` (mean F1 over the classes), and ``precision``, ``recall``,
``f1`` of the positive label (one class against the others when there are more than two; 0
when undefined, as scikit-learn's ``zero_division``).

Classification, from the predicted probabilities (``predict_proba``):

- ``roc_auc``: area under the ROC curve of the positive class; with more than two classes, the
  unweighted mean of each class against the rest (scikit-learn's ``multi_class="ovr",
  average="macro"``).
- ``average_precision``: as scikit-learn's ``average_precision_score`` for the positive class;
  with more than two classes, the unweighted mean of each class against the rest.
- ``log_loss``: mean of -ln p(true class), each probability clipped to [eps, 1 - eps] (eps of
  float64), as scikit-learn's ``log_loss``.
- ``brier``: mean over rows of the squared distance between the probabilities and the one-hot
  true class, halved for two classes (scikit-learn's ``brier_score_loss``, ``scale_by_half=
  "auto"``: the usual binary Brier score in [0, 1]; [0, 2] with more classes).

A rank metric undefined in a bootstrap resample (one class only) is NaN there, and NaN
replicates are left out of the interval; with more than two classes, a class absent from a
resample is left out of that resample's mean.

Regression: ``rmse``, ``mae``, ``r2`` and ``mape`` (mean of |y - ŷ| / max(|y|, eps), eps of
float64, as scikit-learn's ``mean_absolute_percentage_error``: a zero truth gives a huge
term rather than an infinity; a fraction, not a percentage).
"""

from __future__ import annotations

import numpy as np

from calmops.models.metrics import formulas as f
from calmops.models.metrics.families import CountMetric, RankMetric, Scored, SumMetric

__all__ = ["BUILT_IN"]

_EPS = np.finfo(np.float64).eps


def _regression_sums(s: Scored) -> np.ndarray:
    y = np.asarray(s.y_true, dtype=float)
    e = np.asarray(s.y_pred, dtype=float) - y
    return np.stack([np.ones_like(y), e**2, np.abs(e), y, y**2], axis=1)  # (n, 5)


def _ape(s: Scored) -> np.ndarray:
    y = np.asarray(s.y_true, dtype=float)
    error = np.abs(np.asarray(s.y_pred, dtype=float) - y) / np.maximum(np.abs(y), _EPS)
    return np.stack([np.ones_like(y), error], axis=1)


def _onehot(s: Scored) -> np.ndarray:
    codes = s.codes()
    onehot = np.zeros_like(s.proba.values, dtype=float)
    known = codes >= 0
    onehot[np.flatnonzero(known), codes[known]] = 1.0
    return onehot


def _log_loss(s: Scored) -> np.ndarray:
    p = np.clip(np.asarray(s.proba.values, dtype=float), _EPS, 1 - _EPS)
    codes = s.codes()
    true_p = np.where(codes >= 0, p[np.arange(len(codes)), np.maximum(codes, 0)], _EPS)
    return np.stack([np.ones(len(codes)), -np.log(true_p)], axis=1)


def _brier(s: Scored) -> np.ndarray:
    p = np.asarray(s.proba.values, dtype=float)
    squared = ((p - _onehot(s)) ** 2).sum(axis=1) + (s.codes() < 0)  # an unknown class: +1
    if p.shape[1] == 2:
        squared = squared / 2
    return np.stack([np.ones(len(p)), squared], axis=1)


def _rank(binary):
    def from_weights(s: Scored, weights: np.ndarray) -> np.ndarray:
        proba = np.asarray(s.proba.values, dtype=float)
        return f.one_vs_rest(binary, proba, s.codes(), s.positive_column(), weights)

    return from_weights


BUILT_IN = (
    CountMetric("accuracy", "classification", True, f.accuracy, "share of rows predicted right"),
    CountMetric(
        "balanced_accuracy", "classification", True, f.balanced_accuracy, "mean recall by class"
    ),
    CountMetric("f1_macro", "classification", True, f.f1_macro, "mean F1 over the classes"),
    CountMetric("precision", "classification", True, f.precision, "precision of the positive"),
    CountMetric("recall", "classification", True, f.recall, "recall of the positive label"),
    CountMetric("f1", "classification", True, f.f1, "F1 of the positive label"),
    RankMetric(
        "roc_auc",
        "classification",
        True,
        _rank(f.roc_auc_binary),
        "ROC AUC (one-vs-rest macro)",
    ),
    RankMetric(
        "average_precision",
        "classification",
        True,
        _rank(f.average_precision_binary),
        "average precision (one-vs-rest macro)",
    ),
    SumMetric(
        "log_loss",
        "classification",
        False,
        _log_loss,
        f.mean_of_second,
        "mean -ln p(true class)",
        needs_proba=True,
    ),
    SumMetric(
        "brier",
        "classification",
        False,
        _brier,
        f.mean_of_second,
        "mean squared error of the probabilities",
        needs_proba=True,
    ),
    SumMetric("rmse", "regression", False, _regression_sums, f.rmse, "root mean squared error"),
    SumMetric("mae", "regression", False, _regression_sums, f.mae, "mean absolute error"),
    SumMetric("r2", "regression", True, _regression_sums, f.r2, "coefficient of determination"),
    SumMetric(
        "mape", "regression", False, _ape, f.mean_of_second, "mean absolute percentage error"
    ),
)
