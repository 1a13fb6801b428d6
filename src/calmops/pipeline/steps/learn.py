"""Step ``learn``: train or retrain as the kind does it (the default is
:func:`calmops.pipeline.training.learn_challengers`), then judge whether the run needs
attention (:mod:`calmops.pipeline.attention`)."""

from __future__ import annotations

from calmops.pipeline.attention import attention_of_run
from calmops.pipeline.context import RunContext


def learn(ctx: RunContext) -> str:
    note = ctx.kind.learn(ctx)
    ctx.attention = attention_of_run(ctx)
    return note + "".join(f"; attention: {text}" for text in ctx.attention)
