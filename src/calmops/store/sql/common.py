"""Small helpers every SQL repository shares."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from calmops.errors import PipelineNotFoundError
from calmops.store.sql import tables as t

__all__ = ["aware", "pipeline_id"]


def pipeline_id(connection: Connection, name: str, *, required: bool = True) -> int | None:
    """The row id of pipeline ``name``; raises PipelineNotFoundError when required."""
    found = connection.execute(
        sa.select(t.pipelines.c.id).where(t.pipelines.c.name == name)
    ).scalar()
    if found is None and required:
        raise PipelineNotFoundError(name)
    return found


def aware(moment: datetime | None) -> datetime | None:
    """SQLite forgets time zones; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
