"""Building block-wise routers for the block kind: a fresh one, or the champion's with only
the target blocks retrained; each records what it holds for the run report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calmops.pipeline.context import RunContext

__all__ = ["router_factory"]


def router_factory(ctx: RunContext, targets: list[str] | None) -> Callable[[], Any]:
    """``make_model`` for the strategies: retrain ``targets`` of the champion router when
    given (and the champion is a router), else build a fresh router from the spec."""
    from calmops.models.blockwise import BlockwiseRouter
    from calmops.models.factory import build_model

    spec = ctx.spec
    champion = ctx.champion_model
    routers: list = []
    ctx.kind_report["blocks"]["router"] = routers
    if targets is not None and isinstance(champion, BlockwiseRouter):
        return lambda: _RefitBlocks(champion, targets, routers)
    return lambda: _Described(
        BlockwiseRouter(
            build_model(spec.model),
            block_column=spec.data.block_column,
            unseen=spec.block.unseen,
            min_rows=spec.block.min_rows,
        ),
        routers,
    )


class _Described:
    """Fits a router and records what it holds for the report."""

    def __init__(self, router, routers: list) -> None:
        self.router, self.routers = router, routers

    def fit(self, X, y):
        return self._record(self.router.fit(X, y), retrained=None)

    def _record(self, router, retrained):
        self.routers.append(
            {
                "block_models": sorted(router.block_models_),
                "skipped": dict(router.skipped_),
                "unseen": router.unseen,
                "retrained": retrained,
            }
        )
        return router


class _RefitBlocks(_Described):
    """Retrains the champion router's global model and only the target blocks."""

    def __init__(self, champion, targets: list[str], routers: list) -> None:
        super().__init__(champion, routers)
        self.targets = targets

    def fit(self, X, y):
        return self._record(self.router.refit_blocks(X, y, self.targets), self.targets)
