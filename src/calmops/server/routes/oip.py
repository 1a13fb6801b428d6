"""Open Inference Protocol (v2), as KServe, Triton and MLServer speak it.

``GET /v2/health/live`` and ``/v2/health/ready`` (no API key needed), ``GET /v2`` (server
metadata), ``GET /v2/models/{name}[/versions/{version}]`` (inputs and outputs),
``GET .../ready`` and ``POST .../infer`` (JSON tensors, or the binary tensor extension on
the way in). A model is a pipeline; its version is the champion's. Outputs are ``predict``
and, for classifiers, ``predict_proba`` (``[n, classes]``).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from calmops import __version__
from calmops.errors import CalmopsError, DataValidationError, http_status_for
from calmops.openapi import COMPONENT_REF
from calmops.server.cache import Serving
from calmops.server.deps import ModelServing, ServiceDep, json_body_only, request_id_of
from calmops.server.jsonio import dumps, loads
from calmops.server.schemas import (
    InferenceRequest,
    InferenceResponse,
    ModelMetadata,
    ModelReady,
    ServerMetadata,
    TensorMeta,
    error_responses,
)
from calmops.server.served import ServedModel
from calmops.server.service import Prediction, PredictionService
from calmops.server.tensors import (
    columns_from_inputs,
    datatype_of,
    feature_datatype,
    split_binary_body,
)

__all__ = ["health_router", "router"]

health_router = APIRouter(prefix="/v2", tags=["open inference protocol"])
router = APIRouter(prefix="/v2", tags=["open inference protocol"])

Version = Annotated[str, Path(description="Model version (the champion's).")]
INFER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": COMPONENT_REF.format(model=InferenceRequest.__name__)}
            }
        },
    }
}
# the protocol: "a 200 status code indicates true and a 4xx status code indicates false"
NOT_READY = {400: {"model": ModelReady, "description": "Not ready."}}


@health_router.get("/health/live", summary="Server live")
async def live() -> dict:
    return {"live": True}


@health_router.get("/health/ready", summary="Server ready", responses={400: {}})
async def server_ready(service: ServiceDep) -> JSONResponse:
    return JSONResponse({"ready": service.ready}, status_code=200 if service.ready else 400)


@router.get("", response_model=ServerMetadata, summary="Server metadata")
async def server_metadata() -> ServerMetadata:
    return ServerMetadata(name="calmops", version=__version__)


@router.get("/models/{name}", response_model=ModelMetadata, summary="Model metadata")
async def model_metadata(serving: ModelServing, service: ServiceDep) -> ModelMetadata:
    return _metadata(service.champion(serving))


@router.get(
    "/models/{name}/versions/{version}", response_model=ModelMetadata, summary="Model metadata"
)
async def version_metadata(serving: ModelServing, version: Version) -> ModelMetadata:
    return _metadata(_version(serving, version))


@router.get("/models/{name}/ready", response_model=ModelReady, responses=NOT_READY)
async def model_ready(serving: ModelServing) -> JSONResponse:
    return _ready(serving, serving.champion is not None)


@router.get(
    "/models/{name}/versions/{version}/ready", response_model=ModelReady, responses=NOT_READY
)
async def version_ready(serving: ModelServing, version: Version) -> JSONResponse:
    champion = serving.champion
    return _ready(serving, champion is not None and str(champion.version) == version)


@router.post(
    "/models/{name}/infer",
    response_model=InferenceResponse,
    openapi_extra=INFER_BODY,
    summary="Infer with the champion",
    dependencies=[Depends(json_body_only)],
    responses=error_responses(415),
)
async def infer(request: Request, serving: ModelServing, service: ServiceDep) -> Response:
    return await _infer(request, serving, service, None)


@router.post(
    "/models/{name}/versions/{version}/infer",
    response_model=InferenceResponse,
    openapi_extra=INFER_BODY,
    summary="Infer with the champion, checking its version",
    dependencies=[Depends(json_body_only)],
    responses=error_responses(415),
)
async def infer_version(
    request: Request, serving: ModelServing, service: ServiceDep, version: Version
) -> Response:
    return await _infer(request, serving, service, version)


# ---- helpers ----------------------------------------------------------------------------


async def _infer(
    request: Request, serving: Serving, service: PredictionService, version: str | None
) -> Response:
    """Answer one infer request, and count it (status, time, rows) in the metrics."""
    started = time.perf_counter()
    status, rows = 500, 0
    try:
        body = _parse(await request.body(), request.headers.get("inference-header-content-length"))
        model = service.champion(serving) if version is None else _version(serving, version)
        columns, rows = columns_from_inputs(
            body.inputs, model.names, allow_matrix=not model.has_hook
        )
        _check_rows(rows, service.config.max_batch_rows)
        wanted = _wanted_outputs(body, model)
        prediction = await service.predict(
            serving,
            lambda served: served.prepare_columns(columns, rows),
            rows=rows,
            request_id=request_id_of(body.id),
            probabilities="predict_proba" in wanted,
        )
        payload = _response(serving, body, prediction, wanted, rows)
        status = 200
        return Response(dumps(payload), media_type="application/json")
    except (CalmopsError, HTTPException, RequestValidationError) as error:
        status = _status_of(error)
        raise
    finally:
        service.metrics.observe(
            serving.pipeline,
            "infer",
            status,
            time.perf_counter() - started,
            rows if status == 200 else 0,
        )


def _parse(raw: bytes, binary: str | None) -> InferenceRequest:
    """The request body, JSON or with binary tensors (``binary``: the JSON header's length)."""
    try:
        if binary is not None:
            if not binary.isdigit():
                raise HTTPException(400, "Inference-Header-Content-Length must be a number")
            parsed = split_binary_body(raw, int(binary))
        else:
            parsed = loads(raw)
        return InferenceRequest.model_validate(parsed)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


def _check_rows(rows: int, limit: int) -> None:
    if rows > limit:
        raise HTTPException(413, f"the tensors have {rows:,} rows; the limit is {limit:,}")


def _response(
    serving: Serving, body: InferenceRequest, prediction: Prediction, wanted: set[str], rows: int
) -> dict[str, Any]:
    """The protocol's response: the wanted outputs as tensors, and the request's ids."""
    outputs = []
    predictions = prediction.scores.predictions
    if "predict" in wanted:
        outputs.append(
            {
                "name": "predict",
                "shape": [rows],
                "datatype": datatype_of(predictions),
                "data": predictions,
            }
        )
    proba = prediction.scores.probabilities
    if "predict_proba" in wanted and proba is not None:
        outputs.append(
            {
                "name": "predict_proba",
                "shape": list(proba.shape),
                "datatype": "FP64",
                "data": proba.ravel(),
            }
        )
    return {
        "model_name": serving.pipeline,
        "model_version": str(prediction.version),
        "id": body.id if body.id is not None else prediction.request_id,
        "parameters": {"request_id": prediction.request_id},
        "outputs": outputs,
    }


def _status_of(error: CalmopsError | HTTPException | RequestValidationError) -> int:
    """The HTTP status an error is answered with (for the metrics)."""
    if isinstance(error, CalmopsError):
        return http_status_for(error)
    if isinstance(error, HTTPException):
        return error.status_code
    return 422


def _wanted_outputs(body: InferenceRequest, model: ServedModel) -> set[str]:
    available = ["predict"] + (["predict_proba"] if model.can_give_probabilities else [])
    if not body.outputs:
        return set(available)
    asked = {output.name for output in body.outputs}
    unknown = sorted(asked - set(available))
    if unknown:
        raise DataValidationError(
            f"model '{model.pipeline}' has no output {unknown[0]!r}; "
            f"choose from {', '.join(available)}"
        )
    return asked


def _version(serving: Serving, version: str) -> ServedModel:
    model = serving.champion
    if model is not None and str(model.version) == version:
        return model
    raise HTTPException(
        404,
        f"model '{serving.pipeline}' does not serve version {version[:32]!r}"
        + (f" (the champion is v{serving.champion.version})" if serving.champion else ""),
    )


def _ready(serving: Serving, ready: bool) -> JSONResponse:
    body = ModelReady(name=serving.pipeline, ready=ready)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 400)


def _metadata(model: ServedModel) -> ModelMetadata:
    outputs = [TensorMeta(name="predict", datatype=_prediction_type(model), shape=[-1])]
    if model.can_give_probabilities:
        width = len(model.classes or []) or -1
        outputs.append(TensorMeta(name="predict_proba", datatype="FP64", shape=[-1, width]))
    return ModelMetadata(
        name=model.pipeline,
        versions=[str(model.version)],
        platform="calmops-"
        + ("sklearn" if "sklearn" in type(model.model).__module__ else "python"),
        inputs=[
            TensorMeta(name=f.name, datatype=feature_datatype(f.kind), shape=[-1])
            for f in model.features
        ],
        outputs=outputs,
    )


def _prediction_type(model: ServedModel) -> str:
    if model.task == "regression":
        return "FP64"
    classes = model.classes or []
    if classes and all(isinstance(c, bool) for c in classes):
        return "BOOL"
    if classes and all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return "INT64"
    return "BYTES"
