"""Step ``decide``: the decision policy applied to the signals (see ``pipeline.policy``)."""

from __future__ import annotations

from calmops.pipeline.attention import escalate
from calmops.pipeline.breaker import is_paused
from calmops.pipeline.context import RunContext
from calmops.pipeline.policy import decide


def decide_step(ctx: RunContext) -> str:
    paused = is_paused(ctx.breaker, ctx.started_at)
    until = ctx.breaker.retry_at.isoformat(timespec="minutes") if paused else None
    decision = decide(
        ctx.signals,
        retrain_on=ctx.spec.decision.retrain_on,
        has_labels=ctx.labelled,
        has_champion=ctx.champion is not None,
        prediction_only=ctx.spec.prediction_only,
        paused_until=until,
        target=ctx.spec.data.target,
    )
    ctx.decision = ctx.kind.decide(ctx, escalate(ctx, decision))
    return f"{ctx.decision.kind}: {ctx.decision.reason}"
