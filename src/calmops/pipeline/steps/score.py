"""Step ``score``: the champion's predictions for every row of the batch, as the kind does it
(the default is :func:`calmops.pipeline.scoring.score_champion`; IPIP scores block by block,
updating the model between blocks)."""

from __future__ import annotations

from calmops.pipeline.context import RunContext


def score(ctx: RunContext) -> str:
    return ctx.kind.score(ctx)
