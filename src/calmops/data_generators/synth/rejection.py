"""Conditioned sampling by rejection, for synthesizers that cannot condition natively.

``conditions={"churned": {"yes": 0.3, "no": 0.7}}`` asks for exactly 30% ``yes`` rows (within
one row, see :func:`~.conditions.exact_counts`). :func:`rejection_sample` draws *full rows*
from the unconditioned synthesizer in rounds and keeps, for each conditioned value, the first
rows that hold it until its count is reached; the kept rows are then shuffled. Each kept row
is a joint draw, so its other columns follow the synthesizer's law *given* that value (the
class-conditional means and correlations survive): this is conditioning, never overwriting
the column after the fact.

Each round draws enough rows to meet the largest remaining need at the rate seen so far
(at first the value's share in the fitted table), with 20% slack, at most ``MAX_BATCH`` rows a
round and ``max_rounds`` rounds. A value too rare to reach its count in that budget is a
DataValidationError that names it and its share in the fitted table.

Examples
--------
>>> import numpy as np, pandas as pd
>>> def draw(m, rng):  # a "synthesizer" with 10% of 'b' and y = 1 on 'b' rows
...     g = np.where(rng.random(m) < 0.1, "b", "a")
...     return pd.DataFrame({"g": g, "y": (g == "b").astype(int)})
>>> out = rejection_sample(draw, 10, {"g": {"a": 0.5, "b": 0.5}}, {"g": {"a": 0.9, "b": 0.1}},
...                        np.random.default_rng(0))
>>> out.groupby("g")["y"].agg(["size", "mean"]).to_dict()
{'size': {'a': 5, 'b': 5}, 'mean': {'a': 0.0, 'b': 1.0}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from calmops.data_generators.synth.base import Conditions
from calmops.data_generators.synth.columns import TableSchema
from calmops.data_generators.synth.conditions import exact_counts
from calmops.errors import DataValidationError

__all__ = ["MAX_BATCH", "rejection_sample", "value_shares"]

MAX_BATCH = 200_000
"""At most this many rows are drawn in one round."""

Draw = Callable[[int, np.random.Generator], pd.DataFrame]


def value_shares(data: pd.DataFrame, schema: TableSchema) -> dict[str, dict[Any, float]]:
    """The share of every value of every column a condition may name (categorical, boolean
    and integer-coded), out of all rows (missing included in the denominator).

    Examples
    --------
    >>> from calmops.data_generators.synth.columns import infer_schema
    >>> df = pd.DataFrame({"g": ["a", "a", "b", None], "x": [0.5, 1.5, 2.5, 3.5]})
    >>> value_shares(df, infer_schema(df))
    {'g': {'a': 0.5, 'b': 0.25}}
    """
    shares: dict[str, dict[Any, float]] = {}
    for info in schema.columns:
        if info.kind in ("categorical", "boolean") or info.is_code:
            counts = data[info.name].value_counts(dropna=True, sort=False)
            by_value = {_plain(v): int(c) for v, c in counts.items()}
            shares[info.name] = {v: by_value.get(v, 0) / len(data) for v in info.categories}
    return shares


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, so they match the schema's categories."""
    return value.item() if isinstance(value, np.generic) else value


def rejection_sample(
    draw: Draw,
    n: int,
    conditions: Conditions,
    shares: Mapping[str, Mapping[Any, float]],
    rng: np.random.Generator,
    max_rounds: int = 10,
) -> pd.DataFrame:
    """``n`` rows from ``draw`` meeting ``conditions`` exactly (checked ones, one column).

    ``draw(m, rng)`` returns ``m`` unconditioned rows; ``shares`` holds each value's share in
    the fitted table (from :func:`value_shares`), the first guess of its rate.
    """
    column, wanted = next(iter(conditions.items()))
    needed = {v: c for v, c in exact_counts(wanted, n).items() if c > 0}
    prior = {v: float(shares.get(column, {}).get(v, 0.0)) for v in needed}
    kept: dict[Any, list[pd.DataFrame]] = {v: [] for v in needed}
    seen = dict.fromkeys(needed, 0)
    drawn = 0
    for _ in range(max_rounds):
        remaining = {v: c for v, c in needed.items() if c > 0}
        if not remaining:
            break
        rates = {v: _rate(seen[v], drawn, prior[v]) for v in remaining}
        size = max(remaining[v] / rates[v] for v in remaining) * 1.2 + 64
        batch = draw(int(min(np.ceil(size), MAX_BATCH)), rng)
        drawn += len(batch)
        labels = batch[column]
        for v, count in remaining.items():
            hits = batch[(labels == v).to_numpy(dtype=bool)]
            seen[v] += len(hits)
            kept[v].append(hits.iloc[:count])
            needed[v] = count - min(count, len(hits))
    short = {v: c for v, c in needed.items() if c > 0}
    if short:
        v, missing = next(iter(short.items()))
        raise DataValidationError(
            f"could not draw {missing} more row(s) with {column}={v!r} in {max_rounds} rounds "
            f"({drawn:,} rows drawn, {seen[v]:,} held it); {v!r} is {100 * prior[v]:.3g}% of "
            "the fitted table; ask for a smaller share of it, or use a synthesizer that "
            "conditions natively"
        )
    rows = pd.concat([piece for pieces in kept.values() for piece in pieces], ignore_index=True)
    return rows.iloc[rng.permutation(len(rows))].reset_index(drop=True)


def _rate(seen: int, drawn: int, prior: float) -> float:
    """The rate to plan the next round on: the observed one; before any hit, the prior, or
    half of one in ``drawn`` once that many rows held none."""
    if seen:
        return seen / drawn
    guess = min(prior, 0.5 / drawn) if drawn else prior
    return max(guess, 1.0 / MAX_BATCH)
