"""Drift per block: each block against the champion's reference and against the block before
it; the block-by-block matrix only on request, for at most ``block.matrix_cap`` blocks.

The first block of a file is compared with the last block of the file before (its profile
is kept under ``reference/last-block/``). Every comparison is one
:func:`calmops.drift.compare` with the pipeline's drift settings; each block's profile is
fitted once and reused. Blocks are small, so unless ``drift`` forces a test, a block of at
most 1,000 rows gets hypothesis tests (KS, chi-square, Holm-corrected) rather than the
distances used for large samples, whose fixed thresholds a few hundred rows cross by chance.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from calmops.errors import DataValidationError
from calmops.pipeline.context import RunContext
from calmops.pipeline.kinds.block.split import rows_of
from calmops.pipeline.outcome import drift_rows
from calmops.pipeline.sections import BlockDrift, DriftSummary

__all__ = ["block_drift", "drift_matrix"]


def _compare(ctx: RunContext, reference: Any, current: pd.DataFrame):
    from calmops.drift import compare
    from calmops.drift.selection import LARGE_REFERENCE

    spec = ctx.spec.drift
    small = len(current) <= LARGE_REFERENCE
    return compare(
        reference,
        current,
        numeric_test=spec.numeric_test or ("ks" if small else None),
        categorical_test=spec.categorical_test or ("chi2" if small else None),
        alpha=spec.alpha,
        correction=spec.correction,
        drift_share=spec.drift_share,
        dataset_rule=spec.dataset_rule,
        seed=ctx.spec.seed,
    )


def _summary(report, block: str | None = None) -> DriftSummary:
    return DriftSummary(
        drift=bool(report.drift_detected),
        drifted=tuple(report.drifted),
        share=round(report.share_drifted, 4),
        tested=len(report.features),
        block=block,
    )


def block_drift(ctx: RunContext, features: pd.DataFrame, reference: Any) -> dict[str, BlockDrift]:
    """Each block against ``reference`` and against the block before; drift rows are queued
    with scope ``block`` (against the reference) and ``previous`` (against the block before)."""
    from calmops.drift import Profile

    min_rows = ctx.spec.block.min_rows
    out: dict[str, BlockDrift] = {}
    previous: tuple[str, Any] | None = _last_block(ctx)
    for block in ctx.block_order:
        current = features[rows_of(ctx, block)]
        if len(current) < min_rows:
            out[block] = BlockDrift(len(current), skipped=f"fewer than {min_rows} rows")
            continue
        against_reference = against_previous = None
        if reference is not None:
            report = _compare(ctx, reference, current)
            against_reference = _summary(report)
            ctx.extra_drift.extend(drift_rows(report, "block", block))
        if previous is not None:
            report = _compare(ctx, previous[1], current)
            against_previous = _summary(report, block=previous[0])
            ctx.extra_drift.extend(drift_rows(report, "previous", block))
        out[block] = BlockDrift(len(current), against_reference, against_previous)
        previous = (block, Profile.fit(current, seed=ctx.spec.seed))
    if previous is not None and previous[0] in out:
        _keep_last_block(ctx, *previous)
    return out


def _last_block(ctx: RunContext) -> tuple[str, Any] | None:
    """The last block of the previous file, if one was kept and can be read."""
    from calmops.drift import Profile

    folder = ctx.paths.artifacts.folder("reference/last-block")
    if folder is None:
        return None
    try:
        block = json.loads((folder / "block.json").read_text(encoding="utf-8"))["block"]
        return f"{block} (previous file)", Profile.load(folder)
    except (OSError, ValueError, KeyError, DataValidationError):
        return None


def _keep_last_block(ctx: RunContext, block: str, profile: Any) -> None:
    """Keep the profile of the file's last block for the next file, replacing the one before."""
    with ctx.paths.artifacts.staged("reference/last-block") as staged:
        profile.save(staged)
        (staged / "block.json").write_text(
            json.dumps({"block": block, "run": ctx.run_id}), encoding="utf-8"
        )


def drift_matrix(ctx: RunContext, features: pd.DataFrame) -> dict[str, Any]:
    """Share of drifted features between every pair of the latest ``matrix_cap`` blocks."""
    from calmops.drift import Profile

    min_rows, cap = ctx.spec.block.min_rows, ctx.spec.block.matrix_cap
    usable = [b for b in ctx.block_order if rows_of(ctx, b).sum() >= min_rows]
    chosen = usable[-cap:]
    frames = {b: features[rows_of(ctx, b)] for b in chosen}
    profiles = {b: Profile.fit(frames[b], seed=ctx.spec.seed) for b in chosen}
    share = [[0.0] * len(chosen) for _ in chosen]
    for i, a in enumerate(chosen):
        for j in range(i + 1, len(chosen)):
            value = round(_compare(ctx, profiles[a], frames[chosen[j]]).share_drifted, 4)
            share[i][j] = share[j][i] = value
    left_out = len(usable) - len(chosen)
    return {"blocks": chosen, "share_drifted": share, "left_out": left_out, "cap": cap}
