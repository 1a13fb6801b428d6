"""Turning a spec's ``model`` section into an estimator, with errors a user can act on."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from calmops.errors import SpecError

__all__ = ["build_estimator", "load_estimator_class"]


def load_estimator_class(dotted: str) -> type:
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
        raise SpecError(f"model.class: '{dotted}' is not a dotted path like sklearn.svm.SVC")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SpecError(
            f"model.class: cannot import module '{module_name}' ({error}); "
            "is the package installed in this environment?"
        ) from None
    found = getattr(module, class_name, None)
    if not inspect.isclass(found):
        hint = _closest(class_name, [n for n, v in vars(module).items() if inspect.isclass(v)])
        raise SpecError(
            f"model.class: module '{module_name}' has no class '{class_name}'"
            + (f" (did you mean '{hint}'?)" if hint else "")
        )
    missing = [
        method for method in ("fit", "predict") if not callable(getattr(found, method, None))
    ]
    if missing:
        raise SpecError(
            f"model.class: {dotted} is not an estimator (it has no {' or '.join(missing)} method)"
        )
    return found


def build_estimator(dotted: str, params: dict[str, Any]) -> Any:
    """An unfitted estimator of class ``dotted`` built with ``params``.

    >>> build_estimator("sklearn.linear_model.LogisticRegression", {"max_iter": 500}).max_iter
    500
    """
    cls = load_estimator_class(dotted)
    try:
        return cls(**params)
    except TypeError as error:
        accepted = ", ".join(sorted(inspect.signature(cls).parameters)) or "none"
        raise SpecError(
            f"model.params: {cls.__name__} rejected them ({error}); accepted: {accepted}"
        ) from None


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    return matches[0] if matches else None
