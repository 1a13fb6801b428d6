"""Conditions on one column: checked against the fitted table and turned into exact counts.

``{"churned": {"yes": 0.3, "no": 0.7}}`` asks for 30% ``yes`` and 70% ``no`` rows. Shares are
normalised if they do not sum to one; counts are rounded by largest remainder, so they sum
to ``n`` and each is within one row of its share. ``balance=True`` is the uniform condition
on the target.

Examples
--------
>>> exact_counts({"yes": 0.3, "no": 0.7}, 11)
{'yes': 3, 'no': 8}
>>> balanced_condition("y", ("a", "b", "c"))
{'y': {'a': 0.3333333333333333, 'b': 0.3333333333333333, 'c': 0.3333333333333333}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from calmops.data_generators.synth.base import Conditions
from calmops.data_generators.synth.columns import TableSchema
from calmops.errors import DataValidationError

__all__ = ["balanced_condition", "check_conditions", "exact_counts"]


def exact_counts(shares: Mapping[Any, float], n: int) -> dict[Any, int]:
    """Row counts for ``shares`` of ``n`` rows, summing to ``n`` (largest remainder)."""
    values = list(shares)
    weights = np.array([float(shares[v]) for v in values])
    if weights.size == 0 or np.any(weights < 0) or not np.isfinite(weights).all():
        raise DataValidationError(f"condition shares must be ≥ 0 and finite (got {dict(shares)})")
    if weights.sum() <= 0:
        raise DataValidationError(f"condition shares must not all be 0 (got {dict(shares)})")
    quotas = weights / weights.sum() * n
    counts = np.floor(quotas).astype(int)
    order = np.argsort(-(quotas - counts), kind="stable")
    counts[order[: n - int(counts.sum())]] += 1
    return {v: int(c) for v, c in zip(values, counts, strict=True)}


def balanced_condition(column: str, values: tuple[Any, ...]) -> dict[str, dict[Any, float]]:
    """The uniform condition over ``values`` of ``column`` (what ``balance=True`` means)."""
    return {column: {v: 1.0 / len(values) for v in values}}


def check_conditions(conditions: Conditions | None, schema: TableSchema) -> Conditions | None:
    """``conditions`` if each names one categorical/boolean column and values it has.

    Returned with the column's text name and each value as the fitted table holds it.

    One conditioned column at a time; unknown columns or values are DataValidationErrors that
    list what the fitted table holds. Values given as strings match boolean and integer
    categories by their text (so ``--condition 'y=1:0.5,0:0.5'`` works on a 0/1 column).
    """
    if not conditions:
        return None
    if len(conditions) != 1:
        raise DataValidationError(
            f"conditions name one column at a time (got {', '.join(map(str, conditions))})"
        )
    column, shares = next(iter(conditions.items()))
    info = schema.column(column)
    if info.kind not in ("categorical", "boolean") and not info.is_code:
        raise DataValidationError(
            f"column {column!r} is {info.kind}; conditions apply to categorical, boolean or "
            "integer-coded columns"
        )
    known = info.categories
    by_text = {str(v): v for v in known}
    resolved: dict[Any, float] = {}
    for value, share in shares.items():
        if value in known:
            resolved[value] = float(share)
        elif str(value) in by_text:
            resolved[by_text[str(value)]] = float(share)
        else:
            raise DataValidationError(
                f"condition on {column!r} names {value!r}, which the real table does not hold; "
                f"its values are {', '.join(map(repr, known))}"
            )
    exact_counts(resolved, 1)  # validates the shares
    return {info.name: resolved}
