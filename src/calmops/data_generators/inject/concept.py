"""Concept drift: change P(y | x) by relabelling a subgroup or by a new labelling function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calmops.data_generators.inject.base import Applied, affected
from calmops.data_generators.inject.selectors import column_of
from calmops.errors import SpecError

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["relabel", "relabel_function"]


def relabel(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    value: Any = None,
    mapping: dict[Any, Any] | None = None,
) -> Applied:
    """Give the picked rows (the subgroup chosen by the selector) new labels.

    ``value`` sets one label, ``mapping`` maps old labels to new ones; with neither, a
    two-class target has its two classes swapped.
    """
    (target,) = columns
    series = column_of(data, target)
    y = series.to_numpy()
    hit = affected(weight, rng)
    if value is not None and mapping is not None:
        raise SpecError("relabel takes value or mapping, not both")
    if value is None and mapping is None:
        classes = np.unique(y)
        if len(classes) != 2:
            raise SpecError("relabel needs value or mapping unless the target has two classes")
        mapping = {classes[0]: classes[1], classes[1]: classes[0]}
    if value is not None:
        data[target] = series.where(~hit, value)
    else:
        lookup = {str(k): v for k, v in mapping.items()}
        new = y.copy()
        new[hit] = [lookup.get(str(v), v) for v in y[hit]]
        data[target] = new
    return Applied(data, (target,), {"value": value, "mapping": mapping, "rows": int(hit.sum())})


def relabel_function(
    data: pd.DataFrame,
    weight: np.ndarray,
    columns: Sequence[str],
    rng: np.random.Generator,
    *,
    function: str | Callable[[Any], Any] | None = None,
    params: dict[str, Any] | None = None,
) -> Applied:
    """Relabel the picked rows with a new labelling function.

    ``function`` is a callable ``f(rows: DataFrame) -> labels`` or the name of a stream
    generator whose labelling function is applied to its own feature columns (e.g.
    ``"sea"`` with ``params={"variant": 3}`` on a SEA table).
    """
    from calmops.data_generators.generate import make_generator

    (target,) = columns
    y = column_of(data, target).to_numpy()
    hit = np.flatnonzero(affected(weight, rng))
    rows = data.iloc[hit]
    if isinstance(function, str):
        generator = make_generator(function, **(params or {}))
        if not hasattr(generator, "label"):
            raise SpecError(f"generator '{function}' has no labelling function")
        features = {c: column_of(rows, c).to_numpy() for c in generator.columns}
        labels = np.asarray(generator.label(features))
        name = function
    elif callable(function):
        labels = np.asarray(function(rows))
        name = getattr(function, "__name__", "function")
    else:
        raise SpecError("relabel_function needs function: a callable or a generator name")
    if labels.shape != (hit.size,):
        raise SpecError(f"the function returned {labels.shape} labels for {hit.size} rows")
    new = y.copy()
    new[hit] = labels.astype(y.dtype, copy=False)
    changed = int(np.count_nonzero(new != y))
    data[target] = new
    return Applied(data, (target,), {"function": name, "params": params, "changed": changed})
