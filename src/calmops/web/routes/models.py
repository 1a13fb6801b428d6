"""The Models tab, and the two actions: promote a version, roll back the champion.

Both take a JSON body ``{"reason": "..."}`` (required, non-empty), kept in the alias history
and written to the pipeline's log; ``GET .../check`` says beforehand whether the version to
be made champion scored worse than the champion on the newest rows neither was trained on,
and the answer of the action carries the same ``warning``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from calmops.errors import ModelVersionNotFoundError
from calmops.pipeline.manual import (
    ManualMove,
    check_move,
    describe,
    move_champion,
    require_reason,
)
from calmops.web.deps import ActionAllowed, BaseDep, PipelineDep, ReaderDep
from calmops.web.schemas import ACTION_ERRORS, ActionResult, MoveCheck, MoveRequest, Tab
from calmops.web.views.models import build_models

__all__ = ["router"]

router = APIRouter(prefix="/api/pipelines/{name}/models", tags=["models"])
BY = "the dashboard"
Version = Annotated[int, Path(ge=1, le=2**31 - 1, description="A model version number.")]


@router.get("", response_model=Tab)
def models(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep) -> dict[str, Any]:
    """Models tab: versions, aliases, metrics, lineage, alias history and model cards (with
    each version's estimator class and hyperparameters)."""
    return build_models(reader, pipeline.name, base=base)


@router.get("/rollback/check", response_model=MoveCheck)
def rollback_check(pipeline: PipelineDep, reader: ReaderDep) -> dict[str, Any]:
    """What rolling back would do to performance: the previous champion against the current
    one on the newest labelled batch neither was trained on (``warning`` when worse)."""
    previous = reader.aliases(pipeline.name).get("previous")
    if previous is None:
        raise ModelVersionNotFoundError(
            pipeline.name, None, f"pipeline '{pipeline.name}' has no previous model"
        )
    return describe(check_move(reader.ws, pipeline.name, previous))


@router.get("/{version}/check", response_model=MoveCheck)
def promote_check(pipeline: PipelineDep, reader: ReaderDep, version: Version) -> dict[str, Any]:
    """What promoting ``version`` would do to performance: it against the champion on the
    newest labelled batch neither was trained on (``warning`` when worse)."""
    return describe(check_move(reader.ws, pipeline.name, version))


@router.post(
    "/{version}/promote",
    response_model=ActionResult,
    dependencies=[ActionAllowed],
    responses=ACTION_ERRORS,
)
def promote(
    pipeline: PipelineDep, reader: ReaderDep, version: Version, body: MoveRequest | None = None
) -> dict[str, Any]:
    """Make ``version`` the champion (the old champion becomes ``previous``), for ``reason``.

    Needs the API key when one is set. The model file is verified against its checksum
    first, so a missing or altered file is refused (500) and nothing moves.
    """
    return _result(pipeline.name, move_champion(reader.ws, pipeline.name, version,
                                                _reason(body), by=BY))  # fmt: skip


@router.post(
    "/rollback", response_model=ActionResult, dependencies=[ActionAllowed], responses=ACTION_ERRORS
)
def rollback(
    pipeline: PipelineDep, reader: ReaderDep, body: MoveRequest | None = None
) -> dict[str, Any]:
    """Make the previous champion the champion again (a second roll back undoes it), for
    ``reason``. Needs the API key when one is set; 404 when there is no previous champion."""
    return _result(pipeline.name, move_champion(reader.ws, pipeline.name, None,
                                                _reason(body), by=BY))  # fmt: skip


def _reason(body: MoveRequest | None) -> str:
    return require_reason(body.reason if body is not None else None)


def _result(name: str, move: ManualMove) -> dict[str, Any]:
    changes = [
        {"alias": m.alias, "old_version": m.old_version, "new_version": m.new_version}
        for m in move.changes
    ]
    shown = ", ".join(f"{m.alias}: {_v(m.old_version)} → {_v(m.new_version)}" for m in move.changes)
    return {"pipeline": name, "message": f"{name}: {shown}", "changes": changes,
            "reason": move.reason, "warning": move.check.warning}  # fmt: skip


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"
