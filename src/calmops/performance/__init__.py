"""Label-free performance estimation: CBPE for classifiers, DLE for regressors.

At training time :func:`fit_estimator` learns, on the champion's held-out rows, what it needs
to estimate the champion's performance later without labels; ``save`` stores it in the model
version folder (``performance/``), :func:`load_estimator` reads it back. On a batch,
``estimate`` returns an :class:`Estimate`: one :class:`EstimatedMetric` (value and interval)
per metric of ``calmops.models.metrics``, and whether it can be trusted, with the reasons.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=1000); y = (rng.uniform(size=1000) < p).astype(int)
>>> est = fit_estimator("classification", None, y, (p > .5).astype(int), np.c_[1 - p, p],
...                     np.array([0, 1]))
>>> e = est.estimate(None, (p > .5).astype(int), np.c_[1 - p, p], metrics=["accuracy"])
>>> e.method, round(e.metrics["accuracy"].value, 2), e.trusted
('cbpe', 0.76, True)
>>> fit_estimator("classification", None, y, y, None, np.array([0, 1])).estimate(
...     None, y, None).caveats
('the model has no predict_proba: CBPE needs probabilities',)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from calmops.errors import SpecError
from calmops.performance.base import (
    FOLDER,
    MIN_ROWS,
    STATE_FILE,
    Estimate,
    EstimatedMetric,
    PerformanceEstimator,
)
from calmops.performance.cbpe import CBPE, codes_of
from calmops.performance.dle import DLE
from calmops.performance.unavailable import Unavailable
from calmops.registry import Registry

__all__ = [
    "CBPE",
    "DLE",
    "ESTIMATORS",
    "MIN_ROWS",
    "Estimate",
    "EstimatedMetric",
    "PerformanceEstimator",
    "Unavailable",
    "fit_estimator",
    "load_estimator",
]

ESTIMATORS: Registry[type[PerformanceEstimator]] = Registry("performance estimator")
"""Estimator classes by the ``method`` they write (``cbpe``, ``dle``, ``none``)."""
ESTIMATORS.register(CBPE)
ESTIMATORS.register(DLE)
ESTIMATORS.register(Unavailable)

_FEWEST = 10  # below this, nothing is fitted at all


def fit_estimator(
    task: str,
    X_holdout,
    y_holdout,
    predicted,
    proba,
    classes,
    *,
    seed: int = 0,
    positive: Any = None,
) -> PerformanceEstimator:
    """The estimator for this champion, learned on its held-out rows.

    ``task``: ``classification`` (CBPE, needs ``proba`` (n, k) and ``classes``) or
    ``regression`` (DLE). When it cannot be fitted, an :class:`Unavailable` estimator whose
    estimates say why; ``positive``: the positive label of precision, recall and F1 (default:
    ``calmops.models.metrics.positive_label``'s choice).
    """
    y = np.asarray(y_holdout)
    if len(y) < _FEWEST:
        return Unavailable(
            f"only {len(y)} held-out rows: too few to learn a performance estimator "
            f"(at least {_FEWEST}; {MIN_ROWS} or more to trust it)"
        )
    if task == "regression":
        return DLE.fit(X_holdout, y, predicted, seed=seed)
    if task != "classification":
        raise SpecError(f"task must be classification or regression (got {task!r})")
    if proba is None or classes is None:
        return Unavailable("the model has no predict_proba: CBPE needs probabilities")
    classes = np.asarray(classes)
    present = np.unique(codes_of(y, classes))
    if len(present[present >= 0]) < 2:
        return Unavailable(
            "the held-out rows hold a single class: the probabilities cannot be calibrated"
        )
    return CBPE.fit(y, predicted, proba, classes, positive=positive, seed=seed, X=X_holdout)


def load_estimator(folder: Path) -> PerformanceEstimator | None:
    """The estimator saved in a model version ``folder``; None when it has none."""
    path = Path(folder) / FOLDER / STATE_FILE
    if not path.exists():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    return ESTIMATORS.get(state["method"]).from_state(state, path.parent)
