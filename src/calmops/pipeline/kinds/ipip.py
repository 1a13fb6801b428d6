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
from dataclasses import dataclass
from typing import Any

import numpy as np

from calmops.errors import DataValidationError, SpecError
from calmops.models.metrics import scores
from calmops.pipeline.breaker import is_paused
from calmops.pipeline.context import RunContext
from calmops.pipeline.kinds.block import BlockKind
from calmops.pipeline.kinds.blocks import block_metrics, rows_of
from calmops.pipeline.policy import Decision
from calmops.store import MetricRow

__all__ = ["IPIPKind", "Learned", "build_ipip", "ipip_structure"]


@dataclass(frozen=True)
class Learned:
    """The model after the batch's blocks, and the labels and predictions it was scored on."""

    model: Any
    y_true: np.ndarray
    y_pred: np.ndarray


def build_ipip(spec) -> Any:
    """The unfitted IPIP model of a spec: preprocessing, then IPIP around ``model``'s class."""
    from sklearn.pipeline import Pipeline

    from calmops.models.factory import build_estimator, build_model, default_preprocessing
    from calmops.models.ipip import IPIPClassifier

    if spec.model.steps is not None:
        steps = list(build_model(spec.model).steps)
        name, base = steps.pop()
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
    out = np.empty(n, dtype=values.dtype)
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


class IPIPKind(BlockKind):
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
        chunks, scored = [], np.zeros(n, dtype=bool)
        pending, model, records = np.zeros(n, dtype=bool), ctx.champion_model, []
        learned_any = False  # has this run trained or updated the model yet
        for block in ctx.block_order:
            rows = rows_of(ctx, block)
            record: dict[str, Any] = {"block": block, "rows": int(rows.sum())}
            if model is not None:
                chunks.append((np.flatnonzero(rows), np.asarray(model.predict(X[rows]))))
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
        return self._record(ctx, records, model if learned_any else None, predictions, scored)

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

    def _record(self, ctx, records, model, predictions, scored) -> str:
        report = {"blocks": records, "prequential": {}, "scored_rows": int(scored.sum())}
        ctx.kind_report["ipip"] = report
        if scored.all() and len(scored):
            ctx.predictions = predictions
        y_pred = predictions[scored] if predictions is not None else np.array([])
        y_true = ctx.target.to_numpy()[scored] if ctx.labelled else np.array([])
        if ctx.labelled and scored.any():
            version = None if ctx.champion is None else ctx.champion.version
            filled = ctx.target.to_numpy().copy()
            filled[scored] = y_pred
            ctx.kind_report["blocks"]["metrics"] = block_metrics(
                ctx, ctx.target.to_numpy(), filled, scored, version
            )
            report["prequential"] = scores(y_true, y_pred, ctx.task)
            if ctx.champion is not None:
                ctx.batch_metrics = dict(report["prequential"])
            for b in records:
                b["metrics"] = ctx.kind_report["blocks"]["metrics"].get(b["block"])
        if model is not None:
            ctx.learned = Learned(model, y_true, y_pred)
        learned = sum(r.get("action") in ("trained", "updated") for r in records)
        return (
            f"{int(scored.sum()):,} rows scored before learning; "
            f"{learned} of {len(records)} blocks learned"
        )

    def decide(self, ctx: RunContext, decision: Decision) -> Decision:
        records = ctx.kind_report["ipip"]["blocks"]
        ctx.kind_report["blocks"]["decisions"] = {
            r["block"]: {"action": r.get("action", "score")} for r in records
        }
        if decision.kind in ("predict_only", "paused") or not ctx.labelled:
            return decision
        if is_paused(ctx.breaker, ctx.started_at):
            until = ctx.breaker.retry_at.isoformat(timespec="minutes")
            return Decision(
                "paused", f"IPIP updates are paused by the circuit breaker until {until}"
            )
        if ctx.learned is None:
            why = "; ".join(f"{r['block']}: {r['action']}" for r in records[:5])
            return Decision("no_drift", f"no block of this batch could be learned ({why})")
        learned = [r for r in records if r.get("action") in ("trained", "updated")]
        last = learned[-1]
        scored = ctx.kind_report["ipip"]["scored_rows"]
        reason = (
            f"IPIP learns every labelled block after scoring it: {len(learned)} of "
            f"{len(records)} blocks learned, {scored:,} rows scored before learning; "
            f"{last['ensembles']} ensembles kept (p {last['p']}, b {last['b']}), "
            f"{last['replaced_share']:.0%} replaced by the last block"
        )
        fired = tuple(name for name, signal in ctx.signals.items() if signal.fired)
        if fired:
            reason += " (" + "; ".join(ctx.signals[name].summary for name in fired) + ")"
        return Decision("train" if ctx.champion is None else "retrain", reason, fired)

    def learn(self, ctx: RunContext) -> str:
        if ctx.decision.kind not in ("train", "retrain") or ctx.learned is None:
            return "no training"
        from calmops.models.registry import Holdout
        from calmops.models.strategies import Trained
        from calmops.pipeline.breaker import after_failure, after_success
        from calmops.pipeline.context import Challenger
        from calmops.pipeline.steps.learn import _card, _promote, _save_reference

        learned = ctx.learned
        metrics = scores(learned.y_true, learned.y_pred, ctx.task) if len(learned.y_true) else {}
        promoted, reason = _judge(ctx, metrics, len(learned.y_true))
        records = ctx.kind_report["ipip"]["blocks"]
        described = f"{sum('p' in r for r in records)} blocks of this batch, prequentially"
        trained = Trained(learned.model, ctx.features, described)
        version = ctx.registry.next_version()
        card = _card(ctx, version, "ipip", trained, metrics, promoted, reason)
        written = ctx.registry.write(learned.model, card, Holdout(learned.y_true, learned.y_pred))
        _save_reference(ctx, version, trained)
        challenger = Challenger(
            written, "ipip", described, len(ctx.features), metrics, None, None, promoted, reason
        )
        ctx.challengers.append(challenger)
        if promoted:
            _promote(ctx, challenger)
            ctx.new_breaker = after_success(ctx.breaker)
        elif ctx.spec.breaker.count_rejections:
            ctx.new_breaker = after_failure(ctx.breaker, ctx.spec.breaker, ctx.started_at)
        for record in records:
            for key in ("p", "b", "ensembles", "replaced_share"):
                if key in record:
                    row = MetricRow(f"ipip_{key}", record[key], version, "block", record["block"])
                    ctx.extra_metrics.append(row)
            if "models_per_ensemble" in record:
                mean = float(np.mean(record["models_per_ensemble"]))
                row = MetricRow("ipip_models_per_ensemble", mean, version, "block", record["block"])
                ctx.extra_metrics.append(row)
        return f"v{version} (ipip) {reason}"


def _judge(ctx: RunContext, metrics: dict[str, float], rows: int) -> tuple[bool, str]:
    """The update is promoted unless a ``promotion.thresholds`` bound fails on its
    prequential metrics (there is no unbiased paired comparison with the old champion)."""
    from calmops.models.metrics import get_metric, primary_metric

    if not metrics:
        return True, "first model: no rows were scored before it learned them (a single block)"
    for name, bound in ctx.spec.promotion.thresholds.items():
        value, higher = metrics[name], get_metric(name, ctx.task).higher_is_better
        if (higher and value < bound) or (not higher and value > bound):
            side = "below" if higher else "above"
            return (
                False,
                f"rejected: prequential {name} {value:.3f} is {side} the threshold {bound:.3f}",
            )
    metric = primary_metric(ctx.task, ctx.spec.decision.metric).name
    return True, (
        f"promoted: prequential {metric} {metrics[metric]:.3f} on {rows:,} rows scored "
        "before the model learned them"
    )
