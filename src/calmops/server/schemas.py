"""The shapes of the server's answers (and of the bodies it takes), for validation and docs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "ErrorBody",
    "FeatureInfo",
    "InferenceRequest",
    "InferenceResponse",
    "ModelMetadata",
    "ModelReady",
    "FeedbackItem",
    "FeedbackReceipt",
    "Health",
    "ModelInfo",
    "PipelineDetail",
    "PipelineSummary",
    "PredictResponse",
    "Readiness",
    "RequestInput",
    "RequestOutput",
    "ResponseOutput",
    "ServerMetadata",
    "TensorMeta",
    "error_responses",
]

Scalar = str | int | float | bool | None


class PredictResponse(BaseModel):
    """Predictions for the rows of one request, in order."""

    pipeline: str
    model_version: int
    request_id: str = Field(description="Send it back with labels to POST /feedback/{pipeline}.")
    predictions: list[Any]
    classes: list[Any] | None = Field(None, description="Column order of `probabilities`.")
    probabilities: list[list[float]] | None = Field(None, description="With ?proba=true.")


class Health(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    ready: bool
    pipelines: dict[str, int | None] | None = Field(
        default=None,
        description="The champion version serving each pipeline (with the API key, if any).",
    )


class FeatureInfo(BaseModel):
    name: str
    dtype: str
    kind: str


class ModelInfo(BaseModel):
    alias: str
    version: int
    task: str
    trained_at: str | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)


class PipelineSummary(BaseModel):
    name: str
    champion_version: int | None = None
    shadow_version: int | None = None
    ready: bool
    error: str | None = None


class PipelineDetail(BaseModel):
    name: str
    model_version: int
    task: str
    target: str | None = None
    features: list[FeatureInfo]
    classes: list[Any] | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)
    trained_at: str | None = None
    shadow: ModelInfo | None = None


class FeedbackItem(BaseModel):
    """The true label of one predicted row, sent when it becomes known: named by the request
    id (and row) of its prediction, or by the values of the pipeline's id columns."""

    model_config = ConfigDict(extra="forbid")

    request_id: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="The request id /predict answered with (or give `ids`).",
    )
    ids: dict[str, Scalar] | None = Field(
        None,
        min_length=1,
        description="The row's values of the pipeline's data.id_columns, as sent to /predict, "
        'e.g. {"customer_id": "C-1"} (instead of request_id).',
    )
    label: Scalar = Field(description="The true value of the target for that row.")
    row: int = Field(
        0, ge=0, le=2**31 - 1, description="Which row of a batch request (0 for a single row)."
    )

    @model_validator(mode="after")
    def _one_key(self) -> FeedbackItem:
        if (self.request_id is None) == (self.ids is None):
            raise ValueError(
                "name the predicted row by request_id (and row) or by ids: one of them"
            )
        return self


class FeedbackReceipt(BaseModel):
    pipeline: str
    accepted: int


# ---- Open Inference Protocol (v2) ----------------------------------------------------------


class TensorMeta(BaseModel):
    name: str
    datatype: str
    shape: list[int]


class ServerMetadata(BaseModel):
    name: str
    version: str
    extensions: list[str] = Field(default_factory=list)


class ModelMetadata(BaseModel):
    name: str
    versions: list[str]
    platform: str
    inputs: list[TensorMeta]
    outputs: list[TensorMeta]


class ModelReady(BaseModel):
    name: str
    ready: bool


class RequestInput(BaseModel):
    name: str = Field(min_length=1, max_length=256)
    shape: list[int] = Field(min_length=1, max_length=4)
    datatype: str
    parameters: dict[str, Any] | None = None
    data: Any


class RequestOutput(BaseModel):
    name: str
    parameters: dict[str, Any] | None = None


class InferenceRequest(BaseModel):
    """An OIP v2 inference request (JSON tensors; the binary extension is not supported)."""

    id: str | None = None
    parameters: dict[str, Any] | None = None
    inputs: list[RequestInput] = Field(min_length=1)
    outputs: list[RequestOutput] | None = None


class ResponseOutput(BaseModel):
    name: str
    shape: list[int]
    datatype: str
    parameters: dict[str, Any] | None = None
    data: list[Any]


class InferenceResponse(BaseModel):
    model_name: str
    model_version: str | None = None
    id: str | None = None
    parameters: dict[str, Any] | None = None
    outputs: list[ResponseOutput]


# ---- errors ---------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    """Every error answer: a message for people (no paths, no tracebacks)."""

    error: str
    details: list[dict[str, Any]] | None = Field(
        None, description="For a malformed request: where, and what was wrong."
    )


_ERROR_TEXT = {
    400: "The body is not JSON.",
    401: "The API key is missing or wrong.",
    404: "No such pipeline or version, or no champion yet.",
    413: "The body or the batch is larger than the server allows.",
    415: "The body is not sent as JSON (Content-Type: application/json).",
    422: "The request does not fit the model: missing features (named), wrong types.",
    503: "The model cannot be loaded right now.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error ``codes``, all with :class:`ErrorBody`.

    >>> sorted(error_responses(404, 422))
    [404, 422]
    """
    return {code: {"model": ErrorBody, "description": _ERROR_TEXT[code]} for code in codes}
