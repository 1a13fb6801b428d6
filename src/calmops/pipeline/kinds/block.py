"""The block kind: a file holds many blocks (``data.block_column``), ordered naturally.

Per block it records metrics, drift against the reference and against the block before,
and a decision; the model is one global model or a :class:`BlockwiseRouter` (``block.router``)
whose retraining touches only the drifted or new blocks. Challengers are evaluated on the last
``block.eval_blocks`` blocks, or on a seeded share of every block (``block.evaluation``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from calmops.models.metrics import scores
from calmops.pipeline.context import RunContext
from calmops.pipeline.kinds.base import Kind
from calmops.pipeline.kinds.block_drift import block_drift, drift_matrix
from calmops.pipeline.kinds.blocks import block_metrics, block_notes, rows_of, split_blocks
from calmops.pipeline.policy import Decision, Signal
from calmops.store import MetricRow

__all__ = ["BlockKind"]


class BlockKind(Kind):
    """Blocks inside each file: per-block records, optional block-wise router."""

    name = "block"

    def features(self, ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame):
        features = split_blocks(ctx, frame, features)
        if self.routed(ctx):  # the router reads the block column; the models never see it
            features = features.assign(**{ctx.spec.data.block_column: ctx.blocks.to_numpy()})
        return features

    def check(self, ctx: RunContext) -> None:
        block_notes(ctx, ctx.spec.block.min_rows)

    def drift_features(self, ctx: RunContext) -> pd.DataFrame:
        return ctx.features.drop(columns=[ctx.spec.data.block_column], errors="ignore")

    @staticmethod
    def routed(ctx: RunContext) -> bool:
        return ctx.spec.kind == "block" and ctx.spec.block.router == "blockwise"

    # ---- score and monitor -------------------------------------------------------------

    def score(self, ctx: RunContext) -> str:
        note = super().score(ctx)
        if ctx.labelled and ctx.predictions is not None:
            scored = np.ones(len(ctx.target), dtype=bool)
            y = ctx.target.to_numpy()
            metrics = block_metrics(ctx, y, ctx.predictions, scored, ctx.champion.version)
            ctx.kind_report["blocks"]["metrics"] = metrics
            if self.routed(ctx) and hasattr(ctx.champion_model, "route"):
                routes = ctx.champion_model.route(ctx.features)
                ctx.kind_report["blocks"]["routes"] = {
                    b: str(routes[rows_of(ctx, b)][0]) for b in ctx.block_order
                }
        return note

    def monitor(self, ctx: RunContext) -> str | None:
        from calmops.pipeline.steps.monitor import _reference

        features = self.drift_features(ctx)
        reference = _reference(ctx) if ctx.champion is not None else None
        drift = block_drift(ctx, features, reference)
        report = ctx.kind_report["blocks"]
        report["drift"] = drift
        if ctx.spec.block.matrix:
            report["matrix"] = drift_matrix(ctx, features)
        self._performance_by_block(ctx)
        drifted = [b for b, e in drift.items() if (e["reference"] or {}).get("drift")]
        if drifted and "data" in ctx.signals:
            shown = "; ".join(
                f"{b} ({', '.join(drift[b]['reference']['drifted'][:3])})" for b in drifted[:5]
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
        from calmops.models.metrics import primary_metric
        from calmops.pipeline.baseline import PerformanceBaseline
        from calmops.pipeline.signals import performance_signal

        metric = primary_metric(ctx.task, ctx.spec.decision.metric)
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
                )
                fired[block] = {"fired": signal.fired, "summary": signal.summary}
        ctx.kind_report["blocks"]["performance"] = fired

    # ---- decide and learn --------------------------------------------------------------

    def decide(self, ctx: RunContext, decision: Decision) -> Decision:
        report = ctx.kind_report["blocks"]
        flagged = self._flagged(ctx)
        new = self._new_blocks(ctx)
        if (
            decision.kind == "no_drift"
            and new
            and self.routed(ctx)
            and not ctx.spec.prediction_only
        ):
            decision = Decision(
                "retrain",
                f"new blocks without a model of their own: {', '.join(new[:5])}"
                + (f" and {len(new) - 5} more" if len(new) > 5 else ""),
                ("blocks",),
            )
        targets = set(self.targets(ctx, decision))
        report["decisions"] = {
            b: _block_decision(
                b, decision.kind, b in targets, flagged.get(b), b in new, self.routed(ctx)
            )
            for b in ctx.block_order
        }
        return decision

    def _flagged(self, ctx: RunContext) -> dict[str, str]:
        """Why each block is flagged: data drift against the reference or a performance drop."""
        report = ctx.kind_report["blocks"]
        why: dict[str, str] = {}
        for block, entry in report.get("drift", {}).items():
            ref = entry.get("reference") or {}
            if ref.get("drift"):
                why[block] = f"data drift in {', '.join(ref['drifted'][:3])}"
        for block, entry in report.get("performance", {}).items():
            if entry["fired"]:
                why[block] = "; ".join(filter(None, [why.get(block), entry["summary"]]))
        return why

    def _new_blocks(self, ctx: RunContext) -> list[str]:
        """Blocks the champion router has never seen (and large enough for a model)."""
        model = ctx.champion_model
        if not self.routed(ctx) or model is None or not hasattr(model, "block_models_"):
            return []
        known = set(model.block_models_) | set(model.skipped_)
        sizes = ctx.kind_report["blocks"]["rows"]
        return [
            b for b in ctx.block_order if b not in known and sizes[b] >= ctx.spec.block.min_rows
        ]

    def targets(self, ctx: RunContext, decision: Decision | None = None) -> list[str]:
        """The blocks a router retrains: drifted or new ones (all of the batch if none is)."""
        decision = decision or ctx.decision
        if decision is None or decision.kind != "retrain" or not self.routed(ctx):
            return (
                list(ctx.block_order) if decision and decision.kind in ("train", "retrain") else []
            )
        chosen = set(self._flagged(ctx)) | set(self._new_blocks(ctx))
        return [b for b in ctx.block_order if b in chosen] or list(ctx.block_order)

    def holdout_rows(self, ctx: RunContext) -> np.ndarray:
        spec = ctx.spec.block
        order = ctx.block_order
        report = ctx.kind_report["blocks"]
        if self.routed(ctx) and ctx.decision.kind == "retrain":
            # only the retrained blocks change: compare champion and challenger on them
            targets = self.targets(ctx)
            report["evaluation"] = {"mode": "split", "blocks": targets}
            return _split_within(ctx, targets)
        sizes = report["rows"]
        eligible = [b for b in order if sizes[b] >= spec.min_rows]  # a 1-row block is no test
        if spec.evaluation == "last" and len(eligible) > spec.eval_blocks:
            chosen = eligible[-spec.eval_blocks :]
            rows = np.flatnonzero(ctx.blocks.isin(chosen).to_numpy())
            report["evaluation"] = {"mode": "last", "blocks": chosen}
            return rows
        if spec.evaluation == "last":
            ctx.notes.append(
                f"only {len(eligible)} block(s) of at least {spec.min_rows} rows, so a challenger "
                "was evaluated on a seeded share of every block instead of on the last block(s)"
            )
        report["evaluation"] = {"mode": "split", "blocks": list(order)}
        return _split_within(ctx, order)

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
                metrics = scores(y[rows], challenger.predictions[rows], ctx.task)
                found[block] = metrics
                version = challenger.version.version
                for name, value in metrics.items():
                    if value == value:
                        ctx.extra_metrics.append(MetricRow(name, value, version, "holdout", block))
            per_version[str(challenger.version.version)] = found
        if per_version:
            ctx.kind_report["blocks"]["challengers"] = per_version
        return note

    def model_factory(self, ctx: RunContext) -> Callable[[], Any]:
        if not self.routed(ctx):
            return super().model_factory(ctx)
        from calmops.pipeline.kinds.router import router_factory

        targets = self.targets(ctx) if ctx.decision.kind == "retrain" else None
        return router_factory(ctx, targets)


def _block_decision(block, kind, targeted, flagged, new, routed) -> dict[str, Any]:
    why = flagged or ("a new block" if new else "no drift found")
    if kind == "train":
        action = "train"
    elif kind == "retrain" and routed:
        action = "retrain" if targeted else "keep"
    elif kind == "retrain":
        action = "retrain (global model)"
    else:
        action = {"no_drift": "keep", "predict_only": "score", "paused": "paused"}.get(kind, kind)
    return {"action": action, "why": why, "flagged": bool(flagged), "new": bool(new)}


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
        from calmops.pipeline.steps.learn import random_holdout

        return random_holdout(ctx)
    return np.sort(np.concatenate(held))
