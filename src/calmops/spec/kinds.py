"""The sections of the block and IPIP pipeline kinds: ``block`` and ``ipip``.

Both are ignored by the kinds they do not belong to, so a spec can switch kind without
losing them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from calmops.spec.sections import _Section

__all__ = ["BlockSpec", "IPIPSpec"]


class BlockSpec(_Section):
    """How a block pipeline evaluates, models and compares the blocks of a file."""

    evaluation: Literal["last", "split"] = Field(
        "last",
        description="last: hold out the last `eval_blocks` blocks (in natural order); split: "
        "a seeded share (`promotion.holdout`) of every block.",
    )
    eval_blocks: int = Field(1, ge=1, description="last: how many of the last blocks to hold out.")
    router: Literal["global", "blockwise"] = Field(
        "global",
        description="global: one model for all blocks; blockwise: one model per block plus a "
        "global model (retraining touches only drifted or new blocks).",
    )
    unseen: Literal["fallback", "vote"] = Field(
        "fallback",
        description="blockwise: rows of a block without a model go to the global model "
        "(fallback) or to a vote of the block models.",
    )
    min_rows: int = Field(
        20, ge=1, description="Blocks with fewer rows get no model of their own and no drift test."
    )
    matrix: bool = Field(
        False, description="Also test every pair of blocks for drift (the block-by-block matrix)."
    )
    matrix_cap: int = Field(
        12, ge=2, le=100, description="matrix: at most this many blocks (the latest ones)."
    )


class IPIPSpec(_Section):
    """The IPIP model (``calmops.IPIPClassifier``) and its prequential updates."""

    prop_majority: float = Field(
        0.55, gt=0, lt=1, description="Share of majority rows in each balanced partition."
    )
    prop_minority: float = Field(
        0.75, gt=0, lt=1, description="Minority rows per partition, as a share of the minority."
    )
    p: int | None = Field(
        None, ge=1, description="Number of ensembles (default: derived from the minority count)."
    )
    b: int | None = Field(
        None, ge=1, description="Largest ensemble (default: derived from the minority count)."
    )
    max_attempts: int = Field(
        5, ge=1, description="Failed candidates in a row before an ensemble stops growing."
    )
    validation: float = Field(
        0.2,
        gt=0,
        lt=1,
        description="Share of each block held out to grow and prune ensembles (never the rows "
        "scored next).",
    )
    confidence: float = Field(
        0.99, gt=0, lt=1, description="Probability that every minority row is used (p and b)."
    )
