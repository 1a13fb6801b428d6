"""Building block-wise routers for the block kind: a fresh one, or the champion's with only
the target blocks retrained; each records what it holds for the run report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from calmops.models.blockwise import BlockwiseRouter
from calmops.models.factory import build_model
from calmops.pipeline.context import RunContext
from calmops.pipeline.sections import RouterRecord

__all__ = ["router_factory"]


def router_factory(ctx: RunContext, targets: list[str] | None) -> Callable[[], Any]:
    """``make_model`` for the strategies: retrain ``targets`` of the champion router when
    given (and the champion is a router), else build a fresh router from the spec. Each
    router trained is recorded in the run's ``blocks.router``."""
    spec = ctx.spec
    champion = ctx.champion_model

    def record(router: BlockwiseRouter, retrained: list[str] | None) -> BlockwiseRouter:
        entry = RouterRecord(
            block_models=tuple(sorted(router.block_models_)),
            skipped=dict(router.skipped_),
            unseen=router.unseen,
            retrained=None if retrained is None else tuple(retrained),
        )
        section = ctx.block_section
        ctx.block_section = replace(section, router=(*section.router, entry))
        return router

    if targets is not None and isinstance(champion, BlockwiseRouter):
        return lambda: _RefitBlocks(champion, targets, record)
    return lambda: _Fresh(
        BlockwiseRouter(
            build_model(spec.model, ctx.task),
            block_column=spec.data.block_column,
            unseen=spec.block.unseen,
            min_rows=spec.block.min_rows,
        ),
        record,
    )


class _Fresh:
    """Fits a new router and records what it holds."""

    def __init__(self, router: BlockwiseRouter, record: Callable) -> None:
        self.router, self.record = router, record

    def fit(self, X, y):
        return self.record(self.router.fit(X, y), None)


class _RefitBlocks:
    """Retrains the champion router's global model and only the target blocks."""

    def __init__(self, champion: BlockwiseRouter, targets: list[str], record: Callable) -> None:
        self.router, self.targets, self.record = champion, targets, record

    def fit(self, X, y):
        return self.record(self.router.refit_blocks(X, y, self.targets), self.targets)
