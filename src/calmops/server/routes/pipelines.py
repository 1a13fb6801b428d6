"""``GET /pipelines`` and ``GET /pipelines/{name}``: what is served, and its model card."""

from __future__ import annotations

from fastapi import APIRouter

from calmops.server.deps import ModelServing, ServiceDep
from calmops.server.schemas import FeatureInfo, ModelInfo, PipelineDetail, PipelineSummary
from calmops.server.served import ServedModel

__all__ = ["router"]

router = APIRouter(tags=["pipelines"])


@router.get("/pipelines", response_model=list[PipelineSummary], summary="Every pipeline served")
async def list_pipelines(service: ServiceDep) -> list[PipelineSummary]:
    return [
        PipelineSummary(
            name=name,
            champion_version=None if s.champion is None else s.champion.version,
            shadow_version=None if s.shadow is None else s.shadow.version,
            ready=s.champion is not None,
            error=s.error,
        )
        for name, s in service.cache.pipelines().items()
    ]


@router.get(
    "/pipelines/{name}",
    response_model=PipelineDetail,
    summary="The champion's model card",
)
async def pipeline_detail(serving: ModelServing, service: ServiceDep) -> PipelineDetail:
    model = service.champion(serving)
    card = model.card
    return PipelineDetail(
        name=serving.pipeline,
        model_version=model.version,
        task=model.task,
        target=card.get("target"),
        features=[FeatureInfo(name=f.name, dtype=f.dtype, kind=f.kind) for f in model.features],
        classes=model.classes,
        metrics=card.get("metrics") or {},
        trained_at=card.get("created_at") or None,
        shadow=None if serving.shadow is None else _info(serving.shadow),
    )


def _info(model: ServedModel) -> ModelInfo:
    return ModelInfo(
        alias=model.alias,
        version=model.version,
        task=model.task,
        trained_at=model.card.get("created_at") or None,
        metrics=model.card.get("metrics") or {},
    )
