"""A model version loaded for serving: its card, its preprocess hook and how it scores.

A :class:`ServedModel` turns request rows into the columns the model was trained on (running
the pipeline's preprocess hook, as the pipeline does), and scores a batch of them. It is
immutable: a new champion is a new object, swapped in whole by the model cache.

The pipeline's id and time columns (``data.id_columns``, ``data.time_column``) are never
features: a request may send them, the model never sees them, and they are logged with the
prediction, so feedback labels can later be joined to it by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from calmops.errors import CalmopsError, DataValidationError
from calmops.pipeline.hooks import Hooks
from calmops.server.shortcut import Shortcut, shortcut_for
from calmops.server.validation import (
    Feature,
    check_columns,
    check_frame,
    columns_from_rows,
    features_of,
)

__all__ = ["Prepared", "Scores", "ServedModel", "load_served"]

Columns = dict[str, np.ndarray]


@dataclass(frozen=True)
class Prepared:
    """Rows of one request, checked: ``columns`` go to the model, ``logged`` to the log."""

    columns: Columns
    logged: dict[str, np.ndarray]
    rows: int


@dataclass(frozen=True)
class Scores:
    """Predictions (and class probabilities when asked) for some rows."""

    predictions: np.ndarray
    probabilities: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ServedModel:
    """One model version of one pipeline, ready to score."""

    pipeline: str
    alias: str
    version: int
    model: Any
    card: dict[str, Any]
    hooks: Hooks = field(default_factory=Hooks)
    dropped: tuple[str, ...] = ()  # role columns: never given to the hook or the model
    shortcut: Shortcut | None = None  # see calmops.server.shortcut
    id_columns: tuple[str, ...] = ()  # data.id_columns: logged, the key of feedback labels
    time_column: str | None = None  # data.time_column: logged

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The request columns logged beside the features (ids and time), not scored."""
        named = (*self.id_columns, self.time_column)
        return tuple(c for c in named if c and c not in self.names)

    @cached_property
    def features(self) -> tuple[Feature, ...]:
        return features_of(self.card)

    @cached_property
    def names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def task(self) -> str:
        return str(self.card.get("task", "classification"))

    @property
    def classes(self) -> list[Any] | None:
        return self.card.get("classes")

    @property
    def has_hook(self) -> bool:
        return self.hooks.preprocess is not None

    @property
    def can_give_probabilities(self) -> bool:
        return self.task == "classification" and hasattr(self.model, "predict_proba")

    # ---- checking input ----------------------------------------------------------------

    def prepare_rows(self, rows: Sequence[Mapping[str, Any]]) -> Prepared:
        """Check request rows (JSON objects) against the card; extra keys are ignored."""
        if self.has_hook:
            import pandas as pd

            return self._hooked(pd.DataFrame.from_records(list(rows)))
        columns = check_columns(columns_from_rows(rows, self.names), self.features)
        present = [k for k in self.keys if any(k in row for row in rows)]
        keys = {k: _object_array([row.get(k) for row in rows]) for k in present}
        return Prepared(columns, {**columns, **keys} if keys else columns, len(rows))

    def prepare_columns(self, values: Mapping[str, Sequence[Any]], rows: int) -> Prepared:
        """Check named columns (one OIP tensor per input) against the card."""
        if self.has_hook:
            import pandas as pd

            return self._hooked(pd.DataFrame({k: list(v) for k, v in values.items()}))
        columns = check_columns(values, self.features)
        keys = {k: _object_array(list(values[k])) for k in self.keys if k in values}
        return Prepared(columns, {**columns, **keys} if keys else columns, rows)

    def _hooked(self, frame: Any) -> Prepared:
        keys = {k: frame[k].to_numpy() for k in self.keys if k in frame.columns}
        frame = frame.drop(columns=[c for c in self.dropped if c in frame.columns])
        try:
            result = self.hooks.apply_preprocess(frame)
        except CalmopsError:
            raise
        except Exception as error:  # the user's hook: its failure is a bad request, said plainly
            raise DataValidationError(
                f"the preprocess hook failed on this input: {type(error).__name__}: {error}"
            ) from None
        columns = check_frame(result, self.features)
        logged = {str(c): frame[c].to_numpy() for c in frame.columns}
        return Prepared(columns, {**logged, **keys}, len(frame))

    # ---- scoring -----------------------------------------------------------------------

    def score(self, columns: Columns, probabilities: bool = False) -> Scores:
        """Predict for checked columns; raises DataValidationError if the model refuses them.

        Examples
        --------
        >>> from sklearn.linear_model import LogisticRegression
        >>> card = {"features": [{"name": "x", "kind": "numeric"}], "classes": [0, 1]}
        >>> model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> served = ServedModel("demo", "champion", 1, _FrameModel(model), card)
        >>> served.score(served.prepare_rows([{"x": 0.1}, {"x": 2.9}]).columns).predictions
        array([0, 1])
        """
        proba = None
        if self.shortcut is not None:
            predictions = self.shortcut.predict(columns)
            if probabilities and self.can_give_probabilities:
                proba = self.shortcut.predict_proba(columns)
            return Scores(predictions, proba)
        import pandas as pd

        frame = pd.DataFrame(columns, columns=self.names, copy=False)
        try:
            predictions = np.asarray(self.model.predict(frame))
            if probabilities and self.can_give_probabilities:
                proba = np.asarray(self.model.predict_proba(frame), dtype=np.float64)
        except (ValueError, TypeError) as error:
            raise DataValidationError(
                f"model v{self.version} could not score this input: {error}"
            ) from None
        return Scores(predictions, proba)


def load_served(workspace: Any, name: str, alias: str) -> ServedModel | None:
    """Load the version ``alias`` points to (checksum verified), or None if it points nowhere."""
    from calmops.models.registry import ModelRegistry
    from calmops.pipeline.hooks import load_hooks

    paths = workspace.paths(name)
    registry = ModelRegistry(workspace.store, name, paths.artifacts.child("models"))
    version = registry.alias(alias)
    if version is None:
        return None
    model = registry.load(version)
    spec = workspace.spec(name)
    dropped = spec.data.role_columns()
    features = features_of(version.card)
    shortcut = shortcut_for(model, [f.name for f in features], [f.kind for f in features])
    return ServedModel(
        pipeline=name,
        alias=alias,
        version=version.version,
        model=model,
        card=dict(version.card),
        hooks=load_hooks(spec.hooks),
        dropped=dropped,
        shortcut=shortcut,
        id_columns=spec.data.id_columns,
        time_column=spec.data.time_column,
    )


def _object_array(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class _FrameModel:
    """A model fitted on arrays, fed DataFrames (for the examples only)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def predict(self, frame: Any) -> Any:
        return self.model.predict(frame.to_numpy())

    def predict_proba(self, frame: Any) -> Any:
        return self.model.predict_proba(frame.to_numpy())
