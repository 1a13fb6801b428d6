"""The block kind: a file holds many blocks (``data.block_column``), ordered naturally.

Per block it records metrics, drift against the reference and against the block before,
and a decision; the model is one global model or a :class:`BlockwiseRouter` (``block.router``)
whose retraining touches only the drifted or new blocks. Challengers are evaluated on the last
``block.eval_blocks`` blocks, or on a seeded share of every block (``block.evaluation``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from calmops.pipeline.context import RunContext
from calmops.pipeline.kinds.block.base import BlockBase
from calmops.pipeline.kinds.block.router import router_factory
from calmops.pipeline.kinds.block.split import block_metrics, rows_of
from calmops.pipeline.measure import measure
from calmops.pipeline.policy import Decision, DecisionKind
from calmops.pipeline.sections import BlockDecision, BlockEvaluation
from calmops.pipeline.training import random_holdout
from calmops.store import MetricRow

__all__ = ["BlockKind"]


class BlockKind(BlockBase):
    """Blocks inside each file: per-block records, optional block-wise router."""

    name = "block"
    # the held-out blocks judge the router block by block; it keeps the rows it was judged with
    refits_winner = False

    def features(self, ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame):
        features = super().features(ctx, frame, features)
        if self.routed(ctx):  # the router reads the block column; the models never see it
            features = features.assign(**{ctx.spec.data.block_column: ctx.blocks.to_numpy()})
        return features

    @staticmethod
    def routed(ctx: RunContext) -> bool:
        """Whether the model is a block-wise router (``block.router: blockwise``)."""
        return ctx.spec.block.router == "blockwise"

    # ---- score -------------------------------------------------------------------------

    def score(self, ctx: RunContext) -> str:
        note = super().score(ctx)
        if ctx.labelled and ctx.predictions is not None:
            scored = np.ones(len(ctx.target), dtype=bool)
            y = ctx.target.to_numpy()
            version = ctx.champion.version
            metrics = block_metrics(ctx, y, ctx.predictions, scored, version, ctx.proba)
            ctx.block_section = replace(ctx.block_section, metrics=metrics)
            if self.routed(ctx) and hasattr(ctx.champion_model, "route"):
                routes = ctx.champion_model.route(ctx.features)
                ctx.block_section = replace(
                    ctx.block_section,
                    routes={b: str(routes[rows_of(ctx, b)][0]) for b in ctx.block_order},
                )
        return note

    # ---- decide ------------------------------------------------------------------------

    def decide(self, ctx: RunContext, decision: Decision) -> Decision:
        flagged = ctx.block_section.flagged()
        new = self._new_blocks(ctx)
        if (
            decision.kind == DecisionKind.NO_DRIFT
            and new
            and self.routed(ctx)
            and not ctx.spec.prediction_only
        ):
            decision = Decision(
                DecisionKind.RETRAIN,
                f"new blocks without a model of their own: {', '.join(new[:5])}"
                + (f" and {len(new) - 5} more" if len(new) > 5 else ""),
                ("blocks",),
            )
        targets = set(self.targets(ctx, decision))
        decisions = {
            b: _block_decision(
                b, decision.kind, b in targets, flagged.get(b), b in new, self.routed(ctx)
            )
            for b in ctx.block_order
        }
        ctx.block_section = replace(ctx.block_section, decisions=decisions)
        return decision

    def _new_blocks(self, ctx: RunContext) -> list[str]:
        """Blocks the champion router has never seen (and large enough for a model)."""
        model = ctx.champion_model
        if not self.routed(ctx) or model is None or not hasattr(model, "block_models_"):
            return []
        known = set(model.block_models_) | set(model.skipped_)
        sizes = ctx.block_section.rows
        return [
            b for b in ctx.block_order if b not in known and sizes[b] >= ctx.spec.block.min_rows
        ]

    def targets(self, ctx: RunContext, decision: Decision | None = None) -> list[str]:
        """The blocks a router retrains: drifted or new ones (all of the batch if none is)."""
        decision = decision or ctx.decision
        if decision is None or decision.kind != DecisionKind.RETRAIN or not self.routed(ctx):
            return list(ctx.block_order) if decision and decision.kind.trains else []
        chosen = set(ctx.block_section.flagged()) | set(self._new_blocks(ctx))
        return [b for b in ctx.block_order if b in chosen] or list(ctx.block_order)

    # ---- learn -------------------------------------------------------------------------

    def holdout_rows(self, ctx: RunContext) -> np.ndarray:
        spec = ctx.spec.block
        order = ctx.block_order
        if self.routed(ctx) and ctx.decision.kind == DecisionKind.RETRAIN:
            # only the retrained blocks change: compare champion and challenger on them
            targets = self.targets(ctx)
            self._evaluated(ctx, "split", targets)
            return _split_within(ctx, targets)
        sizes = ctx.block_section.rows
        eligible = [b for b in order if sizes[b] >= spec.min_rows]  # a 1-row block is no test
        if spec.evaluation == "last" and len(eligible) > spec.eval_blocks:
            chosen = eligible[-spec.eval_blocks :]
            self._evaluated(ctx, "last", chosen)
            return np.flatnonzero(ctx.blocks.isin(chosen).to_numpy())
        if spec.evaluation == "last":
            ctx.notes.append(
                f"only {len(eligible)} block(s) of at least {spec.min_rows} rows, so a challenger "
                "was evaluated on a seeded share of every block instead of on the last block(s)"
            )
        self._evaluated(ctx, "split", order)
        return _split_within(ctx, order)

    @staticmethod
    def _evaluated(ctx: RunContext, mode: str, blocks: list[str]) -> None:
        evaluation = BlockEvaluation(mode, tuple(blocks))
        ctx.block_section = replace(ctx.block_section, evaluation=evaluation)

    def learn(self, ctx: RunContext) -> str:
        note = super().learn(ctx)
        holdout_blocks = None if ctx.holdout_rows is None else ctx.blocks.iloc[ctx.holdout_rows]
        y = None if ctx.holdout is None else ctx.holdout.y.to_numpy()
        per_version = {}
        for challenger in ctx.challengers:
            if challenger.predictions is None or holdout_blocks is None:
                continue
            found = {}
            for block in pd.unique(holdout_blocks):
                rows = (holdout_blocks == block).to_numpy()
                proba = challenger.proba
                taken = None if proba is None else proba.take(np.flatnonzero(rows))
                metrics = measure(ctx, y[rows], challenger.predictions[rows], taken)
                found[block] = metrics
                version = challenger.version.version
                for name, value in metrics.items():
                    if value == value:
                        ctx.extra_metrics.append(MetricRow(name, value, version, "holdout", block))
            per_version[str(challenger.version.version)] = found
        if per_version:
            ctx.block_section = replace(ctx.block_section, challengers=per_version)
        return note

    def model_factory(self, ctx: RunContext) -> Callable[[], Any]:
        if not self.routed(ctx):
            return super().model_factory(ctx)
        targets = self.targets(ctx) if ctx.decision.kind == DecisionKind.RETRAIN else None
        return router_factory(ctx, targets)


def _block_decision(block, kind, targeted, flagged, new, routed) -> BlockDecision:
    why = flagged or ("a new block" if new else "no drift found")
    if kind == DecisionKind.TRAIN:
        action = "train"
    elif kind == DecisionKind.RETRAIN and routed:
        action = "retrain" if targeted else "keep"
    elif kind == DecisionKind.RETRAIN:
        action = "retrain (global model)"
    else:
        action = {"no_drift": "keep", "predict_only": "score", "paused": "paused"}.get(kind, kind)
    return BlockDecision(str(action), why, bool(flagged), bool(new))


def _split_within(ctx: RunContext, blocks: list[str]) -> np.ndarray:
    """A seeded share (``promotion.holdout``) of each of ``blocks`` with at least two rows."""
    share = ctx.spec.promotion.holdout
    held = []
    for index, block in enumerate(ctx.block_order):
        if block not in blocks:
            continue
        rows = np.flatnonzero(rows_of(ctx, block))
        if len(rows) < 2:
            continue
        rng = np.random.default_rng(np.random.SeedSequence(ctx.spec.seed, spawn_key=(index,)))
        take = min(len(rows) - 1, max(1, round(len(rows) * share)))
        held.append(rng.choice(rows, size=take, replace=False))
    if not held:
        return random_holdout(ctx)
    return np.sort(np.concatenate(held))
