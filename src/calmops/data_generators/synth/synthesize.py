"""One call from a real table to a synthetic one: :func:`synthesize`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from calmops.data_generators.synth.base import Conditions, check_sample_size
from calmops.data_generators.synth.blocks import synthesize_blocks
from calmops.data_generators.synth.conditions import balanced_condition
from calmops.data_generators.synth.registry import DEFAULT_SYNTHESIZER, make_synthesizer
from calmops.errors import DataValidationError

__all__ = ["synthesize"]

#: progress callback: (what was just done, steps done, steps in all)
OnStep = Callable[[str, int, int], None]


def _check_arguments(
    data: pd.DataFrame,
    target: str | None,
    conditions: Conditions | None,
    balance: bool,
    block_column: str | None,
    n_per_block: int | Mapping[Any, int] | None,
) -> None:
    """Arguments that contradict each other fail before any work, with what to change."""
    if balance and conditions:
        raise DataValidationError("give either conditions or balance=True, not both")
    if balance and target is None:
        raise DataValidationError("balance=True needs a target (the column to balance)")
    if n_per_block is not None and block_column is None:
        raise DataValidationError("n_per_block needs a block_column")
    if block_column is not None and block_column == target:
        raise DataValidationError(f"the block column {block_column!r} cannot be the target")
    if block_column is not None and target is not None and target not in data.columns:
        raise DataValidationError(
            f"target {target!r} is not a column; the table has {', '.join(map(str, data.columns))}"
        )


def synthesize(
    data: pd.DataFrame,
    method: str = DEFAULT_SYNTHESIZER,
    n: int | None = None,
    target: str | None = None,
    conditions: Conditions | None = None,
    balance: bool = False,
    block_column: str | None = None,
    n_per_block: int | Mapping[Any, int] | None = None,
    seed: int | None = None,
    on_step: OnStep | None = None,
    **params: Any,
) -> pd.DataFrame:
    """A synthetic table like ``data``: fit synthesizer ``method`` and draw ``n`` rows.

    Parameters
    ----------
    data : the real table.
    method : a registered synthesizer (``calmops generate list``); default ``cart``.
    n : rows to draw (default: as many as ``data`` has; with blocks, their sum).
    target : the column ``balance`` (and usually ``conditions``) refers to.
    conditions : ``{column: {value: share}}``, exact shares of one column's values.
    balance : every value of ``target`` in equal shares (the uniform condition).
    block_column : synthesize each block of this column on its own (see :mod:`.blocks`);
        conditions and ``balance`` then apply within each block.
    n_per_block : rows per block: an int, or ``{block: rows}``.
    seed : the same seed gives the same rows.
    on_step : called as ``on_step(what, done, total)`` after each fit, sample or block.
    **params : the synthesizer's own parameters (e.g. ``min_samples_leaf=10``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({"month": np.repeat(["m2", "m10"], 200),
    ...                      "x": np.r_[rng.normal(0, 1, 200), rng.normal(5, 1, 200)],
    ...                      "y": rng.choice(["a", "b"], 400, p=[0.8, 0.2])})
    >>> rows = synthesize(real, n=100, target="y", balance=True, block_column="month", seed=3)
    >>> rows.groupby("month", sort=False)["x"].mean().round(0).to_dict()
    {'m2': 0.0, 'm10': 5.0}
    >>> rows.groupby("month", sort=False)["y"].value_counts().tolist()
    [25, 25, 25, 25]
    """
    _check_arguments(data, target, conditions, balance, block_column, n_per_block)
    make_synthesizer(method, **params)  # an unknown method or parameter fails before any work

    def fitted(rows: pd.DataFrame) -> Any:
        return make_synthesizer(method, **params).fit(rows, target=target)

    def asked(synthesizer: Any) -> Conditions | None:
        if not balance:
            return conditions
        return balanced_condition(target, synthesizer.schema_.column(target).categories)

    def report(what: str, done: int, total: int) -> None:
        if on_step is not None:
            on_step(what, done, total)

    if block_column is not None:

        def one(rows: pd.DataFrame, size: int, one_seed: int) -> pd.DataFrame:
            synthesizer = fitted(rows)
            return synthesizer.sample(size, conditions=asked(synthesizer), seed=one_seed)

        def on_block(block: Any, done: int, total: int) -> None:
            report(f"block {block}", done, total)

        return synthesize_blocks(
            data, block_column, one, n=n, n_per_block=n_per_block, seed=seed, on_block=on_block
        )
    size = check_sample_size(n) if n is not None else max(getattr(data, "shape", (0,))[0], 1)
    synthesizer = fitted(data)
    report(f"fitted {method}", 1, 2)
    out = synthesizer.sample(size, conditions=asked(synthesizer), seed=seed)
    report(f"sampled {size} rows", 2, 2)
    return out
