"""Classification or regression: from the spec, the estimator, or the target itself."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["Task", "infer_task"]

Task = Literal["classification", "regression"]

# an integer target with at most this many distinct values is taken as class labels
MAX_INTEGER_CLASSES = 20


def infer_task(requested: str, estimator: Any, target: pd.Series) -> Task:
    """The task: ``requested`` unless it is ``auto``; then the estimator's type; then the target.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> infer_task("auto", LinearRegression(), pd.Series([0.5, 1.5]))
    'regression'
    >>> infer_task("auto", object(), pd.Series(["yes", "no"]))
    'classification'
    """
    if requested in ("classification", "regression"):
        return requested  # type: ignore[return-value]
    kind = getattr(estimator, "_estimator_type", None)
    try:
        from sklearn.base import is_classifier, is_regressor

        if is_classifier(estimator):
            kind = "classifier"
        elif is_regressor(estimator):
            kind = "regressor"
    except (TypeError, AttributeError):
        pass
    if kind == "classifier":
        return "classification"
    if kind == "regressor":
        return "regression"
    values = target.dropna()
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "classification"
    integral = np.allclose(values.to_numpy(dtype=float), np.round(values.to_numpy(dtype=float)))
    return (
        "classification" if integral and values.nunique() <= MAX_INTEGER_CLASSES else "regression"
    )
