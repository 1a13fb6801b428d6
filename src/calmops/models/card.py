"""The model card: what a model version is, how it was made and how well it did."""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = ["ModelCard", "describe_features", "describe_model", "library_versions"]


@dataclass
class ModelCard:
    """Everything a person or the server needs to know about one model version.

    ``metrics`` are on the holdout rows of the batch it was trained on; ``promotion`` says
    whether it became champion and why.
    """

    version: int
    pipeline: str
    task: str
    target: str
    features: list[dict[str, str]]
    classes: list[Any] | None
    training: dict[str, Any]
    metrics: dict[str, float]
    strategy: str
    reason: str
    parent_version: int | None = None
    run_id: str | None = None
    created_at: str = ""
    serializer: str = "joblib"
    file: str = ""
    sha256: str = ""
    promotion: dict[str, Any] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)
    positive_label: Any = None  # classification: the class precision, recall, AUC are of
    estimator: dict[str, Any] | None = None  # label-free estimator {method, trusted}, if any
    model: dict[str, Any] | None = None  # {class, params}: what was fitted (describe_model)

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))


def describe_features(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Name, dtype and kind of each feature column, in order (the serving contract).

    >>> describe_features(pd.DataFrame({"x": [1.0], "c": ["a"]}))
    [{'name': 'x', 'dtype': 'float64', 'kind': 'numeric'}, {'name': 'c', 'dtype': 'str', \
'kind': 'categorical'}]
    """
    described = []
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_bool_dtype(dtype):
            kind = "boolean"
        elif pd.api.types.is_numeric_dtype(dtype):
            kind = "numeric"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            kind = "datetime"
        else:
            kind = "categorical"
        described.append({"name": str(name), "dtype": str(dtype), "kind": kind})
    return described


def describe_model(model: Any) -> dict[str, Any]:
    """The class of a fitted model and its hyperparameters (``get_params(deep=False)``, each
    value shown as JSON or as its text), for the card and the dashboards. A scikit-learn
    ``Pipeline`` is described by its final estimator, with its ``steps`` listed.

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> found = describe_model(DecisionTreeClassifier(max_depth=6, random_state=0))
    >>> found["class"], found["params"]["max_depth"], found["params"]["criterion"]
    ('sklearn.tree._classes.DecisionTreeClassifier', 6, 'gini')
    >>> found = describe_model(make_pipeline(StandardScaler(), DecisionTreeClassifier()))
    >>> found["class"].rsplit(".", 1)[1], found["steps"]
    ('DecisionTreeClassifier', ['standardscaler: StandardScaler', 'decisiontreeclassifier: \
DecisionTreeClassifier'])
    """
    steps = getattr(model, "steps", None)
    if isinstance(steps, list) and steps and all(isinstance(s, tuple) for s in steps):
        final = describe_model(steps[-1][1])
        final["steps"] = [f"{name}: {type(step).__name__}" for name, step in steps]
        return final
    kind = type(model)
    params: dict[str, Any] = {}
    if hasattr(model, "get_params"):
        try:
            params = dict(model.get_params(deep=False))
        except (TypeError, AttributeError):  # an estimator that breaks scikit-learn's contract
            params = {}
    return {"class": f"{kind.__module__}.{kind.__qualname__}",
            "params": {str(k): _param(v) for k, v in sorted(params.items())}}  # fmt: skip


def _param(value: Any) -> Any:
    """A hyperparameter as JSON: plain values as they are, anything else as its text."""
    value = _plain(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | dict) and len(repr(value)) <= 200:
        try:
            import json

            json.dumps(value)
            return value
        except (TypeError, ValueError):
            pass
    text = repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model file depends on."""
    import numpy
    import sklearn

    from calmops import __version__

    return {
        "python": platform.python_version(),
        "calmops": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
    }


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value
