"""The Models tab, and the two actions: promote a version, roll back the champion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calmops.web.deps import ActionAllowed, BaseDep, PipelineDep, ReaderDep
from calmops.web.schemas import ACTION_ERRORS, ActionResult, Tab
from calmops.web.views.models import build_models

__all__ = ["router"]

router = APIRouter(prefix="/api/pipelines/{name}/models", tags=["models"])


@router.get("", response_model=Tab)
def models(pipeline: PipelineDep, reader: ReaderDep, base: BaseDep) -> dict[str, Any]:
    """Models tab: versions, aliases, metrics, lineage, alias history and model cards."""
    return build_models(reader, pipeline.name, base=base)


@router.post(
    "/{version}/promote",
    response_model=ActionResult,
    dependencies=[ActionAllowed],
    responses=ACTION_ERRORS,
)
def promote(pipeline: PipelineDep, reader: ReaderDep, version: int) -> dict[str, Any]:
    """Make ``version`` the champion (the old champion becomes ``previous``).

    Needs the API key when one is set. The model file is verified against its checksum
    first, so a missing or altered file is refused (500) and nothing moves.
    """
    registry = reader.registry(pipeline.name)
    registry.load(registry.get(version))
    moves = registry.promote(version, reason=f"promoted from the dashboard to v{version}")
    return _result(pipeline.name, moves)


@router.post(
    "/rollback", response_model=ActionResult, dependencies=[ActionAllowed], responses=ACTION_ERRORS
)
def rollback(pipeline: PipelineDep, reader: ReaderDep) -> dict[str, Any]:
    """Make the previous champion the champion again (a second roll back undoes it).

    Needs the API key when one is set; 404 when there is no previous champion."""
    registry = reader.registry(pipeline.name)
    previous = registry.alias("previous")
    if previous is not None:
        registry.load(previous)
    moves = registry.rollback(reason="rolled back from the dashboard")
    return _result(pipeline.name, moves)


def _result(name: str, moves: list) -> dict[str, Any]:
    changes = [
        {"alias": m.alias, "old_version": m.old_version, "new_version": m.new_version}
        for m in moves
    ]
    shown = ", ".join(f"{m.alias}: {_v(m.old_version)} → {_v(m.new_version)}" for m in moves)
    return {"pipeline": name, "message": f"{name}: {shown}", "changes": changes}


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"
