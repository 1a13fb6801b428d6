"""Turning a spec's ``model`` section into an unfitted model, with errors a user can act on.

``model.class: auto`` (the default) is scikit-learn's histogram gradient boosting, the
classifier or the regressor by task, behind :class:`~calmops.models.native.NativeCategories`
(missing values and categories handled natively, no imputing or one-hot encoding). Any other
estimator is wrapped in a preprocessing pipeline that imputes missing values and one-hot
encodes non-numeric columns, so mixed-type tables work out of the box; a spec may instead give
the whole scikit-learn Pipeline as ``model.steps``.
"""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING, Any

from calmops.errors import SpecError

if TYPE_CHECKING:
    from calmops.spec import ModelSpec

__all__ = [
    "AUTO",
    "DEFAULT_CLASSES",
    "build_estimator",
    "build_model",
    "declared_estimator",
    "describe_class",
    "default_preprocessing",
    "load_estimator_class",
    "resolve_class",
]

#: the ``model.class`` that picks the estimator by task
AUTO = "auto"
#: what ``model.class: auto`` resolves to, by task
DEFAULT_CLASSES: dict[str, str] = {
    "classification": "sklearn.ensemble.HistGradientBoostingClassifier",
    "regression": "sklearn.ensemble.HistGradientBoostingRegressor",
}
#: estimators given :class:`~calmops.models.native.NativeCategories` instead of one-hot
NATIVE_CLASSES = ("HistGradientBoostingClassifier", "HistGradientBoostingRegressor")


def load_estimator_class(dotted: str, *, field: str = "model.class") -> type:
    """Import the class at ``dotted`` (``package.module.Class``) and check it can be fitted.

    Examples
    --------
    >>> load_estimator_class("sklearn.tree.DecisionTreeClassifier").__name__
    'DecisionTreeClassifier'
    >>> load_estimator_class("sklearn.tree.DecisionTreeClassifer")
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: model.class: module 'sklearn.tree' has no class \
'DecisionTreeClassifer' (did you mean 'DecisionTreeClassifier'?)
    """
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        raise SpecError(f"{field}: '{dotted}' is not a dotted path like sklearn.svm.SVC")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SpecError(
            f"{field}: cannot import module '{module_name}' ({error}); "
            "is the package installed in this environment?"
        ) from None
    found = getattr(module, class_name, None)
    if not inspect.isclass(found):
        hint = _closest(class_name, [n for n, v in vars(module).items() if inspect.isclass(v)])
        raise SpecError(
            f"{field}: module '{module_name}' has no class '{class_name}'"
            + (f" (did you mean '{hint}'?)" if hint else "")
        )
    if not callable(getattr(found, "fit", None)):
        raise SpecError(f"{field}: {dotted} cannot be fitted (it has no fit method)")
    return found


def build_estimator(dotted: str, params: dict[str, Any], *, field: str = "model") -> Any:
    """An unfitted instance of class ``dotted`` built with ``params``.

    >>> build_estimator("sklearn.linear_model.LogisticRegression", {"max_iter": 500}).max_iter
    500
    """
    cls = load_estimator_class(dotted, field=f"{field}.class")
    try:
        return cls(**params)
    except TypeError as error:
        accepted = ", ".join(sorted(inspect.signature(cls).parameters)) or "none"
        raise SpecError(
            f"{field}.params: {cls.__name__} rejected them ({error}); accepted: {accepted}"
        ) from None


def resolve_class(spec: ModelSpec, task: str | None = None) -> str:
    """The dotted estimator class of ``spec``: ``auto`` resolved by the task.

    The task is ``task`` (inferred from the data), else the spec's own, else classification.

    >>> from calmops.spec import ModelSpec
    >>> resolve_class(ModelSpec(), "regression")
    'sklearn.ensemble.HistGradientBoostingRegressor'
    >>> resolve_class(ModelSpec.model_validate({"class": "sklearn.svm.SVC"}), "regression")
    'sklearn.svm.SVC'
    """
    if spec.class_name != AUTO:
        return spec.class_name
    if task not in DEFAULT_CLASSES:
        task = spec.task if spec.task in DEFAULT_CLASSES else "classification"
    return DEFAULT_CLASSES[task]


def describe_class(spec: ModelSpec, kind: str = "stream") -> str:
    """The model class as a user reads it (``kind: ipip`` has its own default).

    >>> from calmops.spec import ModelSpec
    >>> describe_class(ModelSpec())
    'auto (HistGradientBoosting classifier or regressor by task)'
    >>> describe_class(ModelSpec(), "ipip")
    "auto (IPIP's own decision trees)"
    """
    if spec.steps is not None:
        return f"steps ending in {spec.steps[-1].class_name}"
    if spec.class_name == AUTO and kind == "ipip":
        return "auto (IPIP's own decision trees)"
    if spec.class_name == AUTO:
        return "auto (HistGradientBoosting classifier or regressor by task)"
    return spec.class_name


def declared_estimator(spec: ModelSpec) -> Any | None:
    """The estimator a spec names before the task is known; None for ``auto``."""
    if spec.class_name == AUTO and spec.steps is None:
        return None
    return build_model(spec)


def build_model(spec: ModelSpec, task: str | None = None) -> Any:
    """The unfitted model a spec describes: its steps, or its estimator (``auto`` resolved
    for ``task`` by :func:`resolve_class`) behind its preprocessing.

    >>> from calmops.spec import ModelSpec
    >>> model = build_model(ModelSpec.model_validate({"class": "sklearn.svm.SVC"}))
    >>> [name for name, _ in model.steps]
    ['preprocess', 'model']
    >>> type(build_model(ModelSpec(), "regression")[-1]).__name__
    'HistGradientBoostingRegressor'
    """
    from sklearn.pipeline import Pipeline

    if spec.steps is not None:
        steps = []
        for index, step in enumerate(spec.steps):
            instance = build_estimator(step.class_name, step.params, field=f"model.steps[{index}]")
            steps.append((step.name or f"{type(instance).__name__.lower()}_{index}", instance))
        if not callable(getattr(steps[-1][1], "predict", None)):
            raise SpecError("model.steps: the last step must be an estimator with predict")
        return Pipeline(steps)
    dotted = resolve_class(spec, task)
    params = dict(spec.params)
    if spec.class_name == AUTO and dotted.rpartition(".")[2] in NATIVE_CLASSES:
        params.setdefault("random_state", 0)  # early stopping splits rows at random
    estimator = build_estimator(dotted, params)
    if not callable(getattr(estimator, "predict", None)):
        raise SpecError(f"model.class: {dotted} has no predict method")
    if type(estimator).__name__ in NATIVE_CLASSES:
        from calmops.models.native import NativeCategories

        return Pipeline([("preprocess", NativeCategories()), ("model", estimator)])
    return Pipeline([("preprocess", default_preprocessing()), ("model", estimator)])


def default_preprocessing() -> Any:
    """Impute numbers with the median; impute and one-hot encode everything else.

    Datetime columns are dropped; categories unseen at training time are ignored.
    """
    import numpy as np
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    return ColumnTransformer(
        [
            (
                "numeric",
                SimpleImputer(strategy="median", keep_empty_features=True),
                make_column_selector(dtype_include=[np.number, "bool"]),
            ),
            (
                "categorical",
                categorical,
                make_column_selector(dtype_include=["object", "string", "category"]),
            ),
        ],
        remainder="drop",
    )


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    return matches[0] if matches else None
