"""``POST /predict/{pipeline}``: the CalmOps contract, one row or a batch, answered by the
champion.

The body is one JSON object (a row) or a list of objects (a batch) of feature values; the
answer is ``{"pipeline", "model_version", "request_id", "predictions"}``, plus ``classes`` and
``probabilities`` with ``?proba=true``. The pipeline's preprocess hook runs; the target is
never needed; extra keys are ignored. The pipeline's id and time columns (``data.id_columns``,
``data.time_column``) are never needed either: sent, they are logged with the prediction (not
scored), so ``POST /feedback`` can name the row by its ids.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from starlette.exceptions import HTTPException

from calmops.errors import CalmopsError, DataValidationError, http_status_for
from calmops.server.deps import PipelineServing, ServiceDep, json_body_only, request_id_of
from calmops.server.jsonio import dumps, loads
from calmops.server.schemas import PredictResponse, error_responses
from calmops.server.validation import rows_from_body

__all__ = ["router"]

router = APIRouter(tags=["predict"])

_ROW = {
    "type": "object",
    "additionalProperties": True,
    "description": "Feature values; the pipeline's id and time columns may be added (logged with "
    "the prediction, so feedback can name the row by id; never scored).",
}
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [_ROW, {"type": "array", "items": _ROW, "minItems": 1}]},
                "examples": {
                    "row": {"value": {"x0": 1.5, "x1": 7.2, "x2": 3.0}},
                    "batch": {
                        "value": [
                            {"x0": 1.5, "x1": 7.2, "x2": 3.0},
                            {"x0": 9.1, "x1": 0.4, "x2": 2.2},
                        ]
                    },
                    "with ids": {
                        "value": {"customer_id": "C-1", "ts": "2026-05-01T12:00:00", "x0": 1.5}
                    },
                },
            }
        },
    }
}


@router.post(
    "/predict/{pipeline}",
    response_model=PredictResponse,
    openapi_extra=BODY,
    summary="Predict with the pipeline's champion",
    dependencies=[Depends(json_body_only)],
    responses=error_responses(415),
)
async def predict(
    request: Request,
    serving: PipelineServing,
    service: ServiceDep,
    proba: Annotated[bool, Query(description="Add class probabilities.")] = False,
    x_request_id: Annotated[
        str | None, Header(description="Your id for this request (else one is made).")
    ] = None,
) -> Response:
    started = time.perf_counter()
    status, rows = 500, 0
    try:
        records = rows_from_body(loads(await request.body()))
        rows = len(records)
        _check_request(service, serving, rows, proba)
        prediction = await service.predict(
            serving,
            lambda served: served.prepare_rows(records),
            rows=rows,
            request_id=request_id_of(x_request_id),
            probabilities=proba,
        )
        response = _answer(serving, prediction, proba, started)
        status = 200
        return response
    except CalmopsError as error:
        status = http_status_for(error)
        raise
    except HTTPException as error:
        status = error.status_code
        raise
    finally:
        service.metrics.observe(
            serving.pipeline,
            "predict",
            status,
            time.perf_counter() - started,
            rows if status == 200 else 0,
        )


def _check_request(service, serving, rows: int, proba: bool) -> None:
    """A batch within the size limit, and probabilities only from a model that gives them."""
    limit = service.config.max_batch_rows
    if rows > limit:
        raise HTTPException(413, f"the batch has {rows:,} rows; the limit is {limit:,}")
    model = service.champion(serving)
    if proba and not model.can_give_probabilities:
        raise DataValidationError(
            f"pipeline '{serving.pipeline}' cannot give probabilities: its model "
            f"(v{model.version}, {model.task}) has no predict_proba"
        )


def _answer(serving, prediction, proba: bool, started: float) -> Response:
    """The JSON answer, with the request id and the time taken in its headers."""
    scores = prediction.scores
    payload = {
        "pipeline": serving.pipeline,
        "model_version": prediction.version,
        "request_id": prediction.request_id,
        "predictions": scores.predictions,
    }
    if proba:
        payload["classes"] = prediction.model.classes
        payload["probabilities"] = scores.probabilities
    elapsed = (time.perf_counter() - started) * 1000
    return Response(
        dumps(payload),
        media_type="application/json",
        headers={
            "X-Request-ID": prediction.request_id,
            "Server-Timing": f"app;dur={elapsed:.3f}",
        },
    )
