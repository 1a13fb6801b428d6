"""Pipelines in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from calmops.errors import PipelineExistsError, PipelineNotFoundError
from calmops.store.base import BeforeCommit
from calmops.store.entities import PipelineRecord, utcnow
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.session import transaction


class SqlPipelines:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self, record: PipelineRecord, *, before_commit: BeforeCommit = None
    ) -> PipelineRecord:
        with transaction(self._engine, write=True) as connection:
            if pipeline_id(connection, record.name, required=False) is not None:
                raise PipelineExistsError(record.name)
            connection.execute(
                t.pipelines.insert().values(
                    name=record.name,
                    kind=record.kind,
                    trigger=record.trigger,
                    spec=record.spec,
                    state=record.state,
                    created_at=record.created_at,
                    updated_at=record.updated_at,
                )
            )
            if before_commit is not None:
                before_commit()
        return record

    def get(self, name: str) -> PipelineRecord:
        with transaction(self._engine) as connection:
            row = connection.execute(
                sa.select(t.pipelines).where(t.pipelines.c.name == name)
            ).first()
        if row is None:
            raise PipelineNotFoundError(name)
        return _record(row)

    def list(self) -> list[PipelineRecord]:
        with transaction(self._engine) as connection:
            rows = connection.execute(sa.select(t.pipelines).order_by(t.pipelines.c.name))
            return [_record(row) for row in rows]

    def update(
        self,
        name: str,
        *,
        spec: dict[str, Any] | None = None,
        state: str | None = None,
        before_commit: BeforeCommit = None,
    ) -> PipelineRecord:
        values: dict[str, Any] = {"updated_at": utcnow()}
        if spec is not None:
            values |= {"spec": spec, "kind": spec["kind"], "trigger": spec["trigger"]["type"]}
        if state is not None:
            values["state"] = state
        with transaction(self._engine, write=True) as connection:
            result = connection.execute(
                t.pipelines.update().where(t.pipelines.c.name == name).values(**values)
            )
            if result.rowcount == 0:
                raise PipelineNotFoundError(name)
            if before_commit is not None:
                before_commit()
            row = connection.execute(sa.select(t.pipelines).where(t.pipelines.c.name == name)).one()
        return _record(row)

    def delete(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        with transaction(self._engine, write=True) as connection:
            result = connection.execute(t.pipelines.delete().where(t.pipelines.c.name == name))
            if result.rowcount == 0:
                raise PipelineNotFoundError(name)
            if before_commit is not None:
                before_commit()


def _record(row: sa.Row) -> PipelineRecord:
    return PipelineRecord(
        name=row.name,
        kind=row.kind,
        trigger=row.trigger,
        spec=row.spec,
        state=row.state,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )
