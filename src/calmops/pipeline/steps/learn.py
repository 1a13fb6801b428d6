"""Step ``learn``: train or retrain as the kind does it (the default is
:func:`calmops.pipeline.training.learn_challengers`)."""

from __future__ import annotations

from calmops.pipeline.context import RunContext


def learn(ctx: RunContext) -> str:
    return ctx.kind.learn(ctx)
