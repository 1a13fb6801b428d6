"""What the block and IPIP kinds share: each file holds many blocks (``data.block_column``),
in natural order; drift and performance are measured per block as well as for the batch."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from calmops.pipeline.baseline import PerformanceBaseline
from calmops.pipeline.context import RunContext
from calmops.pipeline.kinds.base import Kind
from calmops.pipeline.kinds.block.drift import block_drift, drift_matrix
from calmops.pipeline.kinds.block.split import block_notes, rows_of, split_blocks
from calmops.pipeline.measure import decision_metric, positive
from calmops.pipeline.policy import Signal
from calmops.pipeline.reference import load_reference
from calmops.pipeline.signals import performance_signal

__all__ = ["BlockBase"]


class BlockBase(Kind):
    """Blocks inside each file: split, checked, tested for drift and performance per block."""

    def features(self, ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame):
        return split_blocks(ctx, frame, features)

    def check(self, ctx: RunContext) -> None:
        block_notes(ctx, ctx.spec.block.min_rows)

    def drift_features(self, ctx: RunContext) -> pd.DataFrame:
        return ctx.features.drop(columns=[ctx.spec.data.block_column], errors="ignore")

    def monitor(self, ctx: RunContext) -> str | None:
        """Drift of each block (against the reference and the block before) and the
        performance signal per block; the data signal names the drifted blocks."""
        features = self.drift_features(ctx)
        reference = None
        if ctx.champion is not None:
            reference = load_reference(ctx.paths, ctx.champion.version)
        drift = block_drift(ctx, features, reference)
        matrix = drift_matrix(ctx, features) if ctx.spec.block.matrix else None
        ctx.block_section = replace(ctx.block_section, drift=drift, matrix=matrix)
        self._performance_by_block(ctx)
        drifted = [b for b, e in drift.items() if e.reference is not None and e.reference.drift]
        if drifted and "data" in ctx.signals:
            shown = "; ".join(
                f"{b} ({', '.join(drift[b].reference.drifted[:3])})" for b in drifted[:5]
            )
            overall = ctx.signals["data"]
            ctx.signals["data"] = Signal(
                "data",
                True,
                f"data drift in {len(drifted)} of {len(drift)} blocks: {shown}",
                {**overall.details, "blocks": drifted, "overall": overall.summary},
            )
        return f"{len(drifted)} of {len(drift)} blocks drifted from the reference"

    def _performance_by_block(self, ctx: RunContext) -> None:
        """The performance signal per block, against the champion's baseline."""
        if not ctx.labelled or ctx.predictions is None or ctx.champion is None:
            return
        metric = decision_metric(ctx)
        baseline = PerformanceBaseline.of(ctx).load(ctx.registry.holdout(ctx.champion))
        y = ctx.target.to_numpy()
        fired = {}
        for block in ctx.block_order:
            rows = rows_of(ctx, block)
            if rows.sum() >= ctx.spec.block.min_rows:
                signal = performance_signal(
                    metric,
                    y[rows],
                    ctx.predictions[rows],
                    baseline,
                    ctx.spec.decision,
                    ctx.spec.seed,
                    proba=None if ctx.proba is None else ctx.proba.take(rows),
                    positive=positive(ctx),
                )
                fired[block] = {"fired": signal.fired, "summary": signal.summary}
        ctx.block_section = replace(ctx.block_section, performance=fired)
