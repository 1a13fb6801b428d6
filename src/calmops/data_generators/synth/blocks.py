"""Block synthesis: each block of a real table learned and drawn on its own.

A block (a month, a site, a batch: the values of ``block_column``) gets its own fitted
synthesizer, so what differs between blocks — their means, their class balance, their
relations — survives in the synthetic table, which can then go through drift injection
(``calmops generate inject --block-column``) for drift with ground truth.

Blocks come out in *natural* order, the one block pipelines use (:mod:`calmops.io.order`):
numbers as numbers, dates as dates, text with numbers in it by those numbers (``b2`` before
``b10``), each with the block column's own values and dtype. The
number of rows of each block (``n_per_block``) is an int (every block the same), a dict
(``{block: rows}``; blocks it leaves out get their default), or by default the block's real
share of ``n`` (largest remainder, at least one row per block; ``n`` defaults to the real
table's size). Each block gets its own seed, spawned from ``seed``.

Examples
--------
>>> list(split_blocks(pd.DataFrame({"b": ["b10", "b2", "b1"], "x": [1, 2, 3]}), "b"))
['b1', 'b2', 'b10']
>>> block_sizes({"a": 30, "b": 10}, n=8, n_per_block=None)
{'a': 6, 'b': 2}
>>> block_sizes({"a": 30, "b": 10}, n=None, n_per_block={"b": 5})
{'a': 30, 'b': 5}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from calmops.data_generators.synth.conditions import exact_counts
from calmops.errors import DataValidationError
from calmops.io.order import as_text, natural_order

__all__ = ["block_sizes", "split_blocks", "synthesize_blocks"]

#: fits one block and samples it: (block rows, rows wanted, seed) -> synthetic rows
BlockSynthesis = Callable[[pd.DataFrame, int, int], pd.DataFrame]


def split_blocks(data: pd.DataFrame, block_column: str) -> dict[Any, pd.DataFrame]:
    """The rows of each block, in natural block order, without the block column."""
    if block_column not in data.columns:
        raise DataValidationError(
            f"block column {block_column!r} is not a column; the table has "
            f"{', '.join(map(str, data.columns))}"
        )
    ids = data[block_column]
    if ids.isna().any():
        raise DataValidationError(
            f"block column {block_column!r} has {int(ids.isna().sum())} missing value(s); "
            "give every row a block (or drop those rows)"
        )
    rest = data.drop(columns=[block_column])
    if rest.shape[1] == 0:
        raise DataValidationError(f"the table has no column besides the block {block_column!r}")
    texts = as_text(ids)
    out = {}
    for text in natural_order(ids):
        rows = (texts == text).to_numpy()
        out[_plain(ids[rows].iloc[0])] = rest[rows]
    return out


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages read ``2``, not ``np.int64(2)``)."""
    return value.item() if isinstance(value, np.generic) else value


def block_sizes(
    real_sizes: Mapping[Any, int],
    n: int | None,
    n_per_block: int | Mapping[Any, int] | None,
) -> dict[Any, int]:
    """Rows to draw per block: ``n_per_block`` where given, else the real share of ``n``."""
    blocks = list(real_sizes)
    if n is None:
        default = dict(real_sizes)
    else:
        if isinstance(n, bool) or not isinstance(n, int) or n < len(blocks):
            raise DataValidationError(
                f"n must be a whole number ≥ the number of blocks ({len(blocks)}), got {n!r}"
            )
        extra = exact_counts(dict(real_sizes), n - len(blocks)) if n > len(blocks) else {}
        default = {block: 1 + extra.get(block, 0) for block in blocks}
    if n_per_block is None:
        return default
    if isinstance(n_per_block, Mapping):
        by_text = {str(b): b for b in blocks}
        sizes = dict(default)
        for key, rows in n_per_block.items():
            block = key if key in real_sizes else by_text.get(str(key), _MISSING)
            if block is _MISSING:
                raise DataValidationError(
                    f"n_per_block names block {key!r}, which the table does not have; its "
                    f"blocks are {', '.join(map(str, blocks))}"
                )
            sizes[block] = _rows(rows, f"n_per_block[{key!r}]")
        return sizes
    rows = _rows(n_per_block, "n_per_block")
    return {block: rows for block in blocks}


_MISSING = object()


def _rows(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise DataValidationError(f"{what} must be a whole number ≥ 1 (got {value!r})")
    return int(value)


def synthesize_blocks(
    data: pd.DataFrame,
    block_column: str,
    synthesize_one: BlockSynthesis,
    n: int | None = None,
    n_per_block: int | Mapping[Any, int] | None = None,
    seed: int | None = None,
    on_block: Callable[[Any, int, int], None] | None = None,
) -> pd.DataFrame:
    """Each block synthesized by ``synthesize_one`` and stacked in natural block order.

    ``on_block(block, done, total)`` is called after each block. An error in one block names
    the block.
    """
    blocks = split_blocks(data, block_column)
    sizes = block_sizes({b: len(rows) for b, rows in blocks.items()}, n, n_per_block)
    seeds = np.random.SeedSequence(seed).spawn(len(blocks))
    parts = []
    for i, (block, rows) in enumerate(blocks.items()):
        block_seed = int(seeds[i].generate_state(1)[0])
        try:
            part = synthesize_one(rows.reset_index(drop=True), sizes[block], block_seed)
        except DataValidationError as error:
            raise DataValidationError(f"block {_plain(block)!r}: {error}") from error
        ids = pd.Series([block] * len(part), dtype=data[block_column].dtype, name=block_column)
        part.insert(data.columns.get_loc(block_column), block_column, ids)
        parts.append(part)
        if on_block is not None:
            on_block(block, i + 1, len(blocks))
    return pd.concat(parts, ignore_index=True)
