"""Typed responses of the dashboard's JSON API.

Tabs are built by the views as plain dicts; these models fix their envelope (what every
client can rely on) and let the sections vary by kind (see :mod:`calmops.web.sections`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ACTION_ERRORS",
    "API_ERRORS",
    "ActionResult",
    "ApiError",
    "LogsPage",
    "MoveCheck",
    "MoveRequest",
    "Overview",
    "PipelineStatus",
    "Tab",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Overview(_Open):
    """Every pipeline (``pipelines``) and the overview page's sections."""

    title: str
    token: str
    pipelines: list[dict[str, Any]]
    sections: list[dict[str, Any]]


class PipelineStatus(_Open):
    """A pipeline's header; ``token`` changes whenever the open tab should reload."""

    name: str
    kind: str
    trigger: str
    state: str
    champion: int | None
    aliases: dict[str, int]
    breaker: dict[str, Any]
    last_run: dict[str, Any] | None
    tabs: list[dict[str, str]]
    api_key_required: bool
    token: str


class Tab(_Open):
    """One tab of a pipeline page: its sections (kpis, tables, figures, notices)."""

    tab: str
    title: str
    sections: list[dict[str, Any]]


class LogsPage(Tab):
    """The Logs tab: ``offset`` is where to continue (``after=``) to follow the log."""

    offset: int


class ActionResult(BaseModel):
    """What a promote or roll back did: every alias that moved, the reason recorded, and a
    ``warning`` when the version made champion scored worse than the one it replaced on the
    newest rows neither was trained on."""

    pipeline: str
    message: str
    changes: list[dict[str, Any]]
    reason: str = ""
    warning: str | None = None


class MoveRequest(BaseModel):
    """Why the champion is moved by hand (kept in the alias history and the log)."""

    reason: str | None = Field(None, max_length=500, description="Why, in a sentence (required).")


class MoveCheck(BaseModel):
    """The version to be made champion against the current one, on the same new rows."""

    version: int
    champion: int | None
    metric: str | None = None
    chosen_score: float | None = None
    champion_score: float | None = None
    rows: int = 0
    batch: str | None = None
    warning: str | None = None
    note: str = ""


class ApiError(BaseModel):
    """What every error of the JSON API answers: one sentence a person can act on."""

    detail: str


API_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "No such pipeline, run, version or tab."},
    422: {"model": ApiError, "description": "A parameter or the data behind it is invalid."},
}
"""The error answers every JSON route documents."""

ACTION_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ApiError, "description": "The API key is missing or wrong."},
    415: {"model": ApiError, "description": "The body is not sent as JSON."},
    422: {"model": ApiError, "description": "The reason is missing or empty."},
    500: {"model": ApiError, "description": "The model file does not match its checksum."},
}
"""What promote and roll back may answer besides :data:`API_ERRORS`."""
