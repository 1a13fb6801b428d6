"""Events in SQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from calmops.store.entities import EventRecord
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.session import transaction


class SqlEvents:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, event: EventRecord) -> None:
        with transaction(self._engine, write=True) as connection:
            owner = None if event.pipeline is None else pipeline_id(connection, event.pipeline)
            connection.execute(
                t.events.insert().values(
                    pipeline_id=owner,
                    at=event.at,
                    level=event.level,
                    kind=event.kind,
                    message=event.message,
                    data=event.data,
                )
            )

    def list(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        query = (
            sa.select(t.events, t.pipelines.c.name)
            .select_from(t.events.outerjoin(t.pipelines))
            .order_by(t.events.c.id.desc())
            .limit(limit)
        )
        if pipeline is not None:
            query = query.where(t.pipelines.c.name == pipeline)
        with transaction(self._engine) as connection:
            return [
                EventRecord(
                    pipeline=row.name,
                    kind=row.kind,
                    message=row.message,
                    level=row.level,
                    data=row.data or {},
                    at=aware(row.at),
                )
                for row in connection.execute(query)
            ]
