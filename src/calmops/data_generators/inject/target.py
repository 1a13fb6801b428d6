"""A target built from a formula over the features: the known cause of concept drift.

With ``target_formula`` a table's label follows an exact, recorded function of named
columns plus noise, so a trend, step or seasonal cycle injected into one of those columns
becomes drift in the target (and in P(y | x) if the formula changes) in a known way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators.inject.base import Applied, affected, numeric_values
from calmops.data_generators.inject.formula import Formula
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["target_formula"]


def _labels(score: np.ndarray, threshold: Any, classes: Any) -> np.ndarray:
    """Classes from a score: by the formula's own comparison, or by threshold(s)."""
    if score.dtype == bool:
        if threshold is not None:
            raise SpecError("the formula already gives classes (a comparison); drop threshold")
        cuts = np.array([0.5])
        score = score.astype(float)
    elif threshold is None:
        if classes is not None:
            raise SpecError("classes needs threshold=..., or a formula that compares")
        return score
    else:
        cuts = np.atleast_1d(np.asarray(threshold, dtype=float))
        if np.any(np.diff(cuts) <= 0):
            raise SpecError(f"thresholds must increase, got {cuts.tolist()}")
    names = np.arange(cuts.size + 1) if classes is None else np.asarray(list(classes))
    if names.size != cuts.size + 1:
        raise SpecError(f"{cuts.size} threshold(s) make {cuts.size + 1} classes, got {classes}")
    index = (score[:, None] > cuts[None, :]).sum(axis=1)
    out = names[index]
    missing = np.isnan(score)
    if missing.any():  # rows whose inputs are missing get no class
        out = out.astype(object)
        out[missing] = None
    return out


def _write(data: pd.DataFrame, target: str, rows: np.ndarray, labels: np.ndarray) -> None:
    """Put ``labels`` in ``rows`` of ``target``; a new column is missing elsewhere."""
    import pandas as pd

    if target not in data.columns:
        if rows.size == len(data):
            data[target] = labels
            return
        data[target] = pd.Series([None] * len(data), index=data.index, dtype=object)
    old = data[target]
    both_numeric = pd.api.types.is_numeric_dtype(old) and labels.dtype.kind in "biuf"
    if both_numeric and not pd.api.types.is_bool_dtype(old):
        new = old.to_numpy(dtype=np.result_type(old.dtype, labels.dtype), copy=True)
    else:
        new = old.to_numpy(dtype=object, copy=True)
    new[rows] = labels
    data[target] = new
    if new.dtype == object:  # e.g. a new column filled in part: let pandas pick a dtype
        data[target] = data[target].infer_objects()


def target_formula(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    formula: str | None = None,
    noise: float = 0.0,
    threshold: float | list[float] | None = None,
    classes: list[Any] | None = None,
) -> Applied:
    """Set the target of the picked rows to ``formula`` over columns, plus noise.

    ``formula`` is safe arithmetic over column names (see
    :mod:`calmops.data_generators.inject.formula`): ``"2*x0 - 0.5*x1**2 + noise"``, where
    ``noise`` is a N(0, ``noise``\\ :sup:`2`) draw per row; without ``noise`` in the formula
    the draw is added to its value. ``threshold`` (one number, or increasing numbers for
    more classes) turns the value into classes 0, 1, ... (or ``classes``); a formula that
    compares (``"sigmoid(x0 + x1) > 0.5"``) gives two classes by itself. The target column
    may be new (missing on rows outside the selection); its event then has weight 0 on
    every row, since defining a concept changes no earlier one (the drift it carries comes
    from the events of its inputs). The record lists the columns that feed the target
    under ``inputs``.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.data_generators.inject.injector import inject
    >>> df = pd.DataFrame({"x0": [0.0, 1.0, 2.0], "x1": [1.0, 1.0, -4.0]})
    >>> out, record = inject(df, "target_formula", formula="2*x0 + x1", seed=0)
    >>> out.target.tolist(), record.events[0].params["inputs"]
    ([1.0, 3.0, 0.0], ['x0', 'x1'])
    >>> out, _ = inject(df, "target_formula", formula="x0 + x1", threshold=1.5,
    ...                 classes=["no", "yes"], seed=0)
    >>> out.target.tolist()
    ['no', 'yes', 'no']
    """
    (target,) = columns
    parsed = _parsed(data, target, formula, noise)
    rows = np.flatnonzero(affected(weight, rng))
    score = _score(data, parsed, rows, rng, noise)
    labels = _labels(np.asarray(score), threshold, classes)
    defined = target not in data.columns
    _write(data, target, rows, labels)
    params = {
        "formula": parsed.text,
        "inputs": list(parsed.columns),
        "noise": noise,
        "threshold": threshold,
        "classes": classes,
        "rows": int(rows.size),
        "new_column": defined,
    }
    # a new column defines the concept rather than changing one: no row drifts by it
    return Applied(data, (target,), params, weight=np.zeros(len(data)) if defined else None)


def _parsed(data: pd.DataFrame, target: str, formula: Any, noise: float) -> Formula:
    """The formula, checked: its columns exist, it does not read the target, noise >= 0."""
    parsed = Formula.parse(str(formula) if isinstance(formula, int | float) else formula)
    parsed.check_columns(data.columns)
    if target in parsed.columns:
        raise SpecError(f"the formula reads the target column '{target}' it would overwrite")
    if not noise >= 0:
        raise SpecError(f"noise must be >= 0, got {noise}")
    return parsed


def _score(
    data: pd.DataFrame, parsed: Formula, rows: np.ndarray, rng: np.random.Generator, noise: float
) -> np.ndarray:
    """The formula's value on ``rows``, with one N(0, noise²) draw per row: inside the
    formula where it says ``noise``, else added after it."""
    values = {c: numeric_values(data, c)[rows] for c in parsed.columns}
    draw = rng.normal(0.0, float(noise), rows.size)
    score = parsed.evaluate(values, noise=draw) if rows.size else np.empty(0)
    if not parsed.uses_noise and noise > 0:
        if score.dtype == bool:
            raise SpecError(
                "the formula compares, so noise cannot be added after it; put noise inside, "
                f"e.g. {parsed.text.replace('>', '+ noise >', 1)!r}"
            )
        score = score + draw
    return score
