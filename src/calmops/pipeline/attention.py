"""Attention: a champion the loop could not keep healthy, said plainly.

Every labelled run compares the champion's predictions on the batch with a trivial model
(always the majority class, or always the mean). A champion no better than that on recent
data makes the run retrain even without another signal; if no challenger then beats it, the
champion is kept (nothing better exists) and the run raises attention instead of resetting
the performance baseline to a useless model. Attention is also raised when a confirmed drop
in performance found no better challenger, when no first model beat chance, and when a batch
without labels had its estimated performance fall (decision ``alert``).

The run records its attention in its report and summary (``attention``: a list of
sentences, empty when all is well); the pipeline's attention is that of its latest labelled
run, which ``calmops status``, the dashboards and the server's ``/metrics`` show.
"""

from __future__ import annotations

from collections.abc import Iterable

from calmops.models.metrics.wording import number
from calmops.pipeline.context import RunContext
from calmops.pipeline.measure import decision_metric, positive
from calmops.pipeline.policy import Decision
from calmops.pipeline.promotion import Trivial, trivial_baseline
from calmops.store import RunRecord, Store

__all__ = ["attention_in", "attention_of_run", "chance_check", "current_attention", "escalate"]


def chance_check(ctx: RunContext) -> Trivial | None:
    """The champion against the trivial model on this batch (None without labels)."""
    if ctx.champion is None or not ctx.labelled or ctx.predictions is None:
        return None
    if ctx.target.nunique() < 2:
        return None  # one class or one value: a constant is perfect, chance means nothing
    return trivial_baseline(
        ctx.target.to_numpy(),
        ctx.predictions,
        decision_metric(ctx),
        proba=ctx.proba,
        positive=positive(ctx),
        n_boot=ctx.spec.decision.bootstrap,
        seed=ctx.spec.seed,
    )


def escalate(ctx: RunContext, decision: Decision) -> Decision:
    """Retrain when the champion is no better than chance, even if no signal fired."""
    ctx.chance = chance_check(ctx)
    if decision.kind != "no_drift" or ctx.chance is None:
        return decision
    if ctx.chance.beaten(ctx.spec.promotion.significance):
        return decision
    return Decision("retrain", f"retraining because {_chance_sentence(ctx)}", ("chance",))


def attention_of_run(ctx: RunContext) -> list[str]:
    """What needs a person after this run (empty: nothing); None-free, in order of weight."""
    if ctx.decision is not None and ctx.decision.kind == "alert":
        then = "replace the model" if ctx.spec.prediction_only else "retrain"
        return [f"{ctx.decision.reason}: label a sample of recent rows to confirm and {then}"]
    if not ctx.labelled or ctx.decision is None or ctx.decision.kind == "predict_only":
        return []
    if any(c.promoted for c in ctx.challengers):
        return []
    if ctx.champion is None:
        if ctx.decision.kind == "train":
            return ["no model better than chance yet: the first model was not promoted"]
        return []
    found = []
    if ctx.chance is not None and not ctx.chance.beaten(ctx.spec.promotion.significance):
        found.append(_chance_sentence(ctx))
    elif ctx.decision.kind == "retrain" and "performance" in ctx.decision.triggers:
        found.append(
            f"performance of the champion v{ctx.champion.version} dropped and no challenger "
            "beat it: it was kept"
        )
    return found


def current_attention(store: Store, pipeline: str, limit: int = 50) -> list[str]:
    """The attention of the pipeline's latest run that recorded one (empty if none)."""
    return attention_in(store.runs.list(pipeline, limit=limit))


def attention_in(runs: Iterable[RunRecord]) -> list[str]:
    """The attention of the first run, newest first, that recorded one (empty if none)."""
    for run in runs:
        recorded = (run.summary or {}).get("attention")
        if run.status == "succeeded" and recorded is not None:
            return list(recorded)
    return []


def _chance_sentence(ctx: RunContext) -> str:
    metric = decision_metric(ctx)
    value = ctx.batch_metrics.get(metric.name, float("nan"))
    chance = ctx.chance
    return (
        f"the champion v{ctx.champion.version} is no better than chance on recent data: "
        f"{metric.name} {number(value)} vs {number(chance.value)} for {chance.name} "
        f"(p = {chance.comparison.p_value:.3f})"
    )
