"""The IPIP kind: binary imbalanced data, learned prequentially block by block.

Each block of a file is first scored with the current model (its metrics are recorded), then
learned: the first block trains a :class:`~calmops.models.ipip.IPIPClassifier`, each later
one updates it (new ensembles, pruned to the best ``p`` on held-out rows of that block, never
the rows scored next). A block that cannot be learned alone (one class, a single row of a
class) is carried into the next block's update, with a note. The model after the last block
is the run's challenger; its metrics are the prequential ones. ``retrain.strategy`` does not
apply; ``promotion.thresholds`` do, on the prequential metrics.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np

from calmops.errors import DataValidationError, SpecError
from calmops.models.metrics import Proba, get_metric, predict_proba
from calmops.models.metrics.wording import number
from calmops.models.registry import Holdout
from calmops.models.strategies import Trained
from calmops.pipeline.breaker import is_paused
from calmops.pipeline.context import Learned, RunContext
from calmops.pipeline.kinds.block.base import BlockBase
from calmops.pipeline.kinds.block.split import block_metrics, rows_of
from calmops.pipeline.measure import custom_of, decision_metric, measure
from calmops.pipeline.policy import Decision, DecisionKind
from calmops.pipeline.sections import BlockDecision, IPIPBlock, IPIPSection
from calmops.pipeline.training import settle, write_challenger
from calmops.store import MetricRow

__all__ = ["IPIPKind", "build_ipip", "ipip_structure"]


def build_ipip(spec) -> Any:
    """The unfitted IPIP model of a spec: preprocessing, then IPIP around ``model``'s class
    (``model.class: auto``: IPIP's own shallow decision tree).

    >>> from calmops.spec import PipelineSpec
    >>> data = {"dir": "in", "block_column": "month", "target": "y"}
    >>> spec = PipelineSpec.from_dict({"name": "p", "kind": "ipip", "data": data})
    >>> print(build_ipip(spec)[-1].estimator)
    None
    """
    from sklearn.pipeline import Pipeline

    from calmops.models.factory import AUTO, build_estimator, build_model, default_preprocessing
    from calmops.models.ipip import IPIPClassifier

    if spec.model.steps is not None:
        steps = list(build_model(spec.model).steps)
        name, base = steps.pop()
    elif spec.model.class_name == AUTO:
        if spec.model.params:
            raise SpecError(
                "model.params: kind ipip with model.class auto uses IPIP's own decision tree; "
                "name a class (e.g. sklearn.tree.DecisionTreeClassifier) to give it params"
            )
        settings = spec.ipip.model_dump()
        ipip = IPIPClassifier(None, random_state=spec.seed, **settings)
        return Pipeline([("preprocess", default_preprocessing()), ("model", ipip)])
    else:
        steps = [("preprocess", default_preprocessing())]
        name, base = "model", build_estimator(spec.model.class_name, spec.model.params)
    if not hasattr(base, "predict_proba"):
        raise SpecError(
            f"model: kind ipip needs a base model with predict_proba; {type(base).__name__} "
            "has none (e.g. use sklearn.tree.DecisionTreeClassifier)"
        )
    settings = spec.ipip.model_dump()
    return Pipeline([*steps, (name, IPIPClassifier(base, random_state=spec.seed, **settings))])


def ipip_structure(model: Any) -> dict[str, Any]:
    """``p``, ``b``, ensembles kept, models per ensemble and the share last replaced."""
    ipip = model[-1] if hasattr(model, "steps") else model
    return {
        "p": int(ipip.p_),
        "b": int(ipip.b_),
        "ensembles": len(ipip.ensembles_),
        "models_per_ensemble": [len(e) for e in ipip.ensembles_],
        "replaced_share": round(float(ipip.replaced_share_), 4),
    }


def _update(model: Any, X, y) -> None:
    if hasattr(model, "steps"):
        model[-1].update(model[:-1].transform(X), y)
    else:
        model.update(X, y)


def _assemble(chunks: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray | None:
    """One array of ``n`` predictions from per-block (rows, values) pieces."""
    if not chunks:
        return None
    rows = np.concatenate([r for r, _ in chunks])
    values = np.concatenate([v for _, v in chunks])
    out = np.empty((n, *values.shape[1:]), dtype=values.dtype)
    out[rows] = values
    return out


def _cannot_learn(y: np.ndarray) -> str | None:
    labels, counts = np.unique(y.astype(str), return_counts=True)
    if len(y) == 0:
        return "no rows"
    if len(labels) < 2:
        return f"a single class ('{labels[0]}')"
    if counts.min() < 2:
        return f"class '{labels[np.argmin(counts)]}' has a single row"
    return None


class IPIPKind(BlockBase):
    """Prequential IPIP over the blocks of each file."""

    name = "ipip"

    def check(self, ctx: RunContext) -> None:
        super().check(ctx)
        if not ctx.labelled:
            return
        target = ctx.spec.data.target
        if ctx.task != "classification":
            raise DataValidationError(
                f"kind ipip is for binary classification, but '{target}' is a regression target"
            )
        labels = sorted(map(str, ctx.target.unique()))
        known = (ctx.champion.card.get("classes") or []) if ctx.champion else []
        labels = sorted(set(labels) | set(map(str, known)))
        if len(labels) > 2:
            raise DataValidationError(
                f"kind ipip is for binary targets; '{target}' has {len(labels)} classes "
                f"({', '.join(labels[:6])}): use kind stream or block with a multiclass model"
            )

    def score(self, ctx: RunContext) -> str:
        """Score each block with the current model, then learn it (test, then train)."""
        if ctx.champion is not None:
            ctx.champion_model = ctx.registry.load(ctx.champion)
        learning = (
            ctx.labelled
            and not ctx.spec.prediction_only
            and not is_paused(ctx.breaker, ctx.started_at)
        )
        X, n = ctx.features, len(ctx.features)
        chunks, probas, scored = [], [], np.zeros(n, dtype=bool)
        pending, model, records = np.zeros(n, dtype=bool), ctx.champion_model, []
        learned_any = False  # has this run trained or updated the model yet
        for block in ctx.block_order:
            rows = rows_of(ctx, block)
            record: dict[str, Any] = {"block": block, "rows": int(rows.sum())}
            if model is not None:
                chunks.append((np.flatnonzero(rows), np.asarray(model.predict(X[rows]))))
                probas.append((np.flatnonzero(rows), predict_proba(model, X[rows])))
                scored |= rows
            if learning:
                model, action, pending = self._learn(ctx, model, rows | pending, learned_any)
                record["action"] = action
                if action in ("trained", "updated"):
                    learned_any = True
                    record.update(ipip_structure(model))
            records.append(record)
        if pending.any():
            ctx.notes.append(
                f"the last {pending.sum():,} rows could not be learned "
                f"({records[-1]['action'].split(': ', 1)[-1]}); a later file does not see them"
            )
        predictions = _assemble(chunks, n)
        proba = None
        if probas and all(q is not None for _, q in probas):
            values = _assemble([(r, q.values) for r, q in probas], n)
            proba = Proba(values, probas[0][1].classes)
        learned = model if learned_any else None
        return self._record(ctx, records, learned, predictions, scored, proba)

    def _learn(self, ctx, model, rows, learned_any):
        X, y = ctx.features, ctx.target.to_numpy()
        why = _cannot_learn(y[rows])
        if why:
            return model, f"kept for the next block: {why}", rows
        if model is None:
            return build_ipip(ctx.spec).fit(X[rows], y[rows]), "trained", np.zeros_like(rows)
        if not learned_any:
            model = copy.deepcopy(model)  # the champion stays as it was
        _update(model, X[rows], y[rows])
        return model, "updated", np.zeros_like(rows)

    def _record(self, ctx, records, model, predictions, scored, proba=None) -> str:
        """The ``ipip`` section, the per-block and prequential metrics (with the prequential
        probabilities) and what was learned."""
        prequential: dict[str, float] = {}
        if scored.all() and len(scored):
            ctx.predictions, ctx.proba = predictions, proba
        proba_scored = None if proba is None else proba.take(np.flatnonzero(scored))
        y_pred = predictions[scored] if predictions is not None else np.array([])
        y_true = ctx.target.to_numpy()[scored] if ctx.labelled else np.array([])
        if ctx.labelled and scored.any():
            version = None if ctx.champion is None else ctx.champion.version
            filled = ctx.target.to_numpy().copy()
            filled[scored] = y_pred
            metrics = block_metrics(ctx, ctx.target.to_numpy(), filled, scored, version, proba)
            ctx.block_section = replace(ctx.block_section, metrics=metrics)
            prequential = measure(ctx, y_true, y_pred, proba_scored)
            if ctx.champion is not None:
                ctx.batch_metrics = dict(prequential)
            records = [{**r, "metrics": metrics.get(r["block"])} for r in records]
        blocks = tuple(IPIPBlock.from_dict(r) for r in records)
        ctx.ipip_section = IPIPSection(blocks, prequential, int(scored.sum()))
        if model is not None:
            ctx.learned = Learned(model, y_true, y_pred, proba_scored)
        learned = sum(b.learned for b in blocks)
        return (
            f"{int(scored.sum()):,} rows scored before learning; "
            f"{learned} of {len(blocks)} blocks learned"
        )

    def decide(self, ctx: RunContext, decision: Decision) -> Decision:
        records = ctx.ipip_section.blocks
        decisions = {r.block: BlockDecision(r.action or "score") for r in records}
        ctx.block_section = replace(ctx.block_section, decisions=decisions)
        if decision.kind in (DecisionKind.PREDICT_ONLY, DecisionKind.PAUSED) or not ctx.labelled:
            return decision
        if is_paused(ctx.breaker, ctx.started_at):
            until = ctx.breaker.retry_at.isoformat(timespec="minutes")
            return Decision(
                DecisionKind.PAUSED,
                f"IPIP updates are paused by the circuit breaker until {until}",
            )
        if ctx.learned is None:
            why = "; ".join(f"{r.block}: {r.action}" for r in records[:5])
            return Decision(
                DecisionKind.NO_DRIFT, f"no block of this batch could be learned ({why})"
            )
        learned = [r for r in records if r.learned]
        last = learned[-1]
        reason = (
            f"IPIP learns every labelled block after scoring it: {len(learned)} of "
            f"{len(records)} blocks learned, {ctx.ipip_section.scored_rows:,} rows scored "
            f"before learning; {last.ensembles} ensembles kept (p {last.p}, b {last.b}), "
            f"{last.replaced_share:.0%} replaced by the last block"
        )
        fired = tuple(name for name, signal in ctx.signals.items() if signal.fired)
        if fired:
            reason += " (" + "; ".join(ctx.signals[name].summary for name in fired) + ")"
        kind = DecisionKind.TRAIN if ctx.champion is None else DecisionKind.RETRAIN
        return Decision(kind, reason, fired)

    def learn(self, ctx: RunContext) -> str:
        """The model after the last block is the challenger, judged on prequential metrics."""
        if not ctx.decision.kind.trains or ctx.learned is None:
            return "no training"
        learned = ctx.learned
        y_true, y_pred = learned.y_true, learned.y_pred
        metrics = measure(ctx, y_true, y_pred, learned.proba) if len(y_true) else {}
        promoted, reason = _judge(ctx, metrics, len(learned.y_true))
        records = ctx.ipip_section.blocks
        described = f"{sum(r.p is not None for r in records)} blocks of this batch, prequentially"
        trained = Trained(learned.model, ctx.features, described)
        holdout = Holdout(learned.y_true, learned.y_pred)
        if learned.proba is not None:
            holdout = Holdout(y_true, y_pred, learned.proba.values, learned.proba.classes)
        challenger = write_challenger(ctx, "ipip", trained, metrics, holdout, promoted, reason)
        ctx.challengers.append(challenger)
        settle(ctx)
        version = challenger.version.version
        for record in records:
            for key in ("p", "b", "ensembles", "replaced_share"):
                value = getattr(record, key)
                if value is not None:
                    row = MetricRow(f"ipip_{key}", value, version, "block", record.block)
                    ctx.extra_metrics.append(row)
            if record.models_per_ensemble is not None:
                mean = float(np.mean(record.models_per_ensemble))
                row = MetricRow("ipip_models_per_ensemble", mean, version, "block", record.block)
                ctx.extra_metrics.append(row)
        return f"v{version} (ipip) {reason}"


def _judge(ctx: RunContext, metrics: dict[str, float], rows: int) -> tuple[bool, str]:
    """The update is promoted unless a ``promotion.thresholds`` bound fails on its
    prequential metrics (there is no unbiased paired comparison with the old champion)."""
    if not metrics:
        return True, "first model: no rows were scored before it learned them (a single block)"
    for name, bound in ctx.spec.promotion.thresholds.items():
        value = metrics.get(name)
        if value is None:
            return False, f"rejected: prequential {name} is not measured by IPIP"
        higher = get_metric(name, ctx.task, custom_of(ctx)).higher_is_better
        if (higher and value < bound) or (not higher and value > bound):
            side = "below" if higher else "above"
            return (
                False,
                f"rejected: prequential {name} {number(value)} is {side} the threshold "
                f"{number(bound)}",
            )
    metric = decision_metric(ctx).name
    return True, (
        f"promoted: prequential {metric} {number(metrics.get(metric))} on {rows:,} rows scored "
        "before the model learned them"
    )
