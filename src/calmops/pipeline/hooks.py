"""User hooks: an optional Python file with ``preprocess``, ``train``, ``retrain`` and
``metric``.

::

    def preprocess(df):                  # features only: runs at training and serving time
        return df.assign(ratio=df.debt / df.income)

    def train(X, y, context):            # replaces fitting a fresh model
        ...; return model

    def retrain(champion, X, y, context):  # replaces retrain.strategy (not the fallback)
        ...; return model

    METRIC_HIGHER_IS_BETTER = True       # required with metric: its direction
    def metric(y_true, y_pred, proba):   # decision.metric: custom
        ...; return float                # proba: (n, K) array of predict_proba, or None

``context`` is the :class:`~calmops.models.strategies.TrainingContext` of the run. The
``metric`` function is called on the rows and on each bootstrap resample of them (500 by
default), so it should be quick.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.errors import DataValidationError, SpecError

__all__ = ["DIRECTION", "HOOK_NAMES", "Hooks", "load_hooks"]

HOOK_NAMES = ("preprocess", "train", "retrain", "metric")
DIRECTION = "METRIC_HIGHER_IS_BETTER"


@dataclass(frozen=True)
class Hooks:
    """The hooks a file defines (None where it defines none) and the file's SHA-256."""

    preprocess: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    train: Callable[..., Any] | None = None
    retrain: Callable[..., Any] | None = None
    metric: Callable[..., float] | None = None
    metric_higher_is_better: bool = True
    source: Path | None = None
    sha256: str | None = None

    def apply_preprocess(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Run ``preprocess`` (if any) and check it returned a table with the same rows."""
        if self.preprocess is None:
            return frame
        result = self.preprocess(frame.copy())
        if not isinstance(result, pd.DataFrame):
            raise DataValidationError(
                f"hooks: preprocess must return a DataFrame (got {type(result).__name__})"
            )
        if len(result) != len(frame):
            raise DataValidationError(
                f"hooks: preprocess must keep every row ({len(frame)} in, {len(result)} out); "
                "drop rows in the data, not in the hook"
            )
        return result


def load_hooks(path: Path | None) -> Hooks:
    """Import the hooks file at ``path`` (no hooks when ``path`` is None).

    Examples
    --------
    >>> import tempfile
    >>> hook_file = Path(tempfile.mkdtemp()) / "hooks.py"
    >>> _ = hook_file.write_text("def preprocess(df):\\n    return df.assign(z=df.x * 2)\\n")
    >>> load_hooks(hook_file).apply_preprocess(pd.DataFrame({"x": [1, 2]}))["z"].tolist()
    [2, 4]
    """
    if path is None:
        return Hooks()
    if not path.exists():
        raise SpecError(f"hooks: no such file {path}")
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    name = f"calmops_hooks_{digest[:16]}"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise SpecError(f"hooks: {path} is not a Python file")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # the user's code: report any failure as a spec error
            raise SpecError(f"hooks: importing {path.name} failed: {error!r}") from error
        sys.modules[name] = module
    found = {hook: getattr(module, hook, None) for hook in HOOK_NAMES}
    if not any(callable(f) for f in found.values()):
        raise SpecError(f"hooks: {path.name} defines none of {', '.join(HOOK_NAMES)}")
    for hook, function in found.items():
        if function is not None and not callable(function):
            raise SpecError(f"hooks: {hook} in {path.name} is not a function")
    higher = getattr(module, DIRECTION, None)
    if found["metric"] is not None and not isinstance(higher, bool):
        raise SpecError(
            f"hooks: {path.name} defines metric but not its direction: add "
            f"{DIRECTION} = True (or False when lower values are better)"
        )
    return Hooks(**found, metric_higher_is_better=bool(higher), source=path, sha256=digest)
