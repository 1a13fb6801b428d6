"""``SqlStore``: the store contract on SQLAlchemy Core (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from calmops.errors import PipelineExistsError, PipelineNotFoundError
from calmops.store.base import BeforeCommit
from calmops.store.entities import (
    AliasChange,
    EventRecord,
    PipelineRecord,
    RunRecord,
    utcnow,
)
from calmops.store.sql import tables as t
from calmops.store.sql.session import create_store_engine, transaction

__all__ = ["SqlStore"]


class SqlStore:
    """A :class:`~calmops.store.base.Store` in a SQL database, migrated on open.

    Examples
    --------
    >>> store = SqlStore("sqlite://")
    >>> _ = store.create_pipeline(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
    >>> store.get_pipeline("demo").state
    'stopped'
    """

    def __init__(self, url: str) -> None:
        from calmops.store import migrations

        self.url = url
        self.engine = create_store_engine(url)
        migrations.upgrade(self.engine)

    # ---- pipelines ---------------------------------------------------------------------

    def create_pipeline(
        self, record: PipelineRecord, *, before_commit: BeforeCommit = None
    ) -> PipelineRecord:
        with transaction(self.engine, write=True) as connection:
            if _pipeline_id(connection, record.name, required=False) is not None:
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

    def get_pipeline(self, name: str) -> PipelineRecord:
        with transaction(self.engine) as connection:
            row = connection.execute(
                sa.select(t.pipelines).where(t.pipelines.c.name == name)
            ).first()
        if row is None:
            raise PipelineNotFoundError(name)
        return _pipeline(row)

    def list_pipelines(self) -> list[PipelineRecord]:
        with transaction(self.engine) as connection:
            rows = connection.execute(sa.select(t.pipelines).order_by(t.pipelines.c.name))
            return [_pipeline(row) for row in rows]

    def update_pipeline(
        self,
        name: str,
        *,
        spec: dict[str, Any] | None = None,
        state: str | None = None,
        before_commit: BeforeCommit = None,
    ) -> PipelineRecord:
        values: dict[str, Any] = {"updated_at": utcnow()}
        if spec is not None:
            values["spec"] = spec
            values["kind"] = spec["kind"]
            values["trigger"] = spec["trigger"]["type"]
        if state is not None:
            values["state"] = state
        with transaction(self.engine, write=True) as connection:
            result = connection.execute(
                t.pipelines.update().where(t.pipelines.c.name == name).values(**values)
            )
            if result.rowcount == 0:
                raise PipelineNotFoundError(name)
            if before_commit is not None:
                before_commit()
            row = connection.execute(sa.select(t.pipelines).where(t.pipelines.c.name == name)).one()
        return _pipeline(row)

    def delete_pipeline(self, name: str, *, before_commit: BeforeCommit = None) -> None:
        with transaction(self.engine, write=True) as connection:
            result = connection.execute(t.pipelines.delete().where(t.pipelines.c.name == name))
            if result.rowcount == 0:
                raise PipelineNotFoundError(name)
            if before_commit is not None:
                before_commit()

    # ---- runs --------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> None:
        values = {
            "status": run.status,
            "decision": run.decision,
            "source": run.source,
            "error": run.error,
            "model_version": run.model_version,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
        }
        with transaction(self.engine, write=True) as connection:
            pipeline_id = _pipeline_id(connection, run.pipeline)
            updated = connection.execute(
                t.runs.update().where(t.runs.c.id == run.id).values(**values)
            )
            if updated.rowcount == 0:
                connection.execute(
                    t.runs.insert().values(id=run.id, pipeline_id=pipeline_id, **values)
                )

    def latest_run(self, pipeline: str) -> RunRecord | None:
        with transaction(self.engine) as connection:
            row = connection.execute(
                sa.select(t.runs)
                .where(t.runs.c.pipeline_id == _pipeline_id(connection, pipeline))
                .order_by(t.runs.c.started_at.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return RunRecord(
            id=row.id,
            pipeline=pipeline,
            status=row.status,
            started_at=_aware(row.started_at),
            finished_at=_aware(row.finished_at),
            decision=row.decision,
            source=row.source,
            error=row.error,
            model_version=row.model_version,
        )

    # ---- aliases -----------------------------------------------------------------------

    def set_alias(
        self, pipeline: str, alias: str, version: int | None, *, reason: str
    ) -> AliasChange:
        now = utcnow()
        with transaction(self.engine, write=True) as connection:
            pipeline_id = _pipeline_id(connection, pipeline)
            where = (t.aliases.c.pipeline_id == pipeline_id) & (t.aliases.c.alias == alias)
            old = connection.execute(sa.select(t.aliases.c.version).where(where)).scalar()
            connection.execute(t.aliases.delete().where(where))
            if version is not None:
                connection.execute(
                    t.aliases.insert().values(
                        pipeline_id=pipeline_id, alias=alias, version=version, updated_at=now
                    )
                )
            change = AliasChange(pipeline, alias, old, version, reason, at=now)
            connection.execute(
                t.alias_changes.insert().values(
                    pipeline_id=pipeline_id,
                    alias=alias,
                    old_version=old,
                    new_version=version,
                    reason=reason,
                    at=now,
                )
            )
        return change

    def aliases(self, pipeline: str) -> dict[str, int]:
        with transaction(self.engine) as connection:
            rows = connection.execute(
                sa.select(t.aliases.c.alias, t.aliases.c.version)
                .where(t.aliases.c.pipeline_id == _pipeline_id(connection, pipeline))
                .order_by(t.aliases.c.alias)
            )
            return {row.alias: row.version for row in rows}

    def alias_history(self, pipeline: str) -> list[AliasChange]:
        with transaction(self.engine) as connection:
            rows = connection.execute(
                sa.select(t.alias_changes)
                .where(t.alias_changes.c.pipeline_id == _pipeline_id(connection, pipeline))
                .order_by(t.alias_changes.c.id)
            )
            return [
                AliasChange(pipeline, r.alias, r.old_version, r.new_version, r.reason, _aware(r.at))
                for r in rows
            ]

    # ---- events ------------------------------------------------------------------------

    def add_event(self, event: EventRecord) -> None:
        with transaction(self.engine, write=True) as connection:
            pipeline_id = (
                None if event.pipeline is None else _pipeline_id(connection, event.pipeline)
            )
            connection.execute(
                t.events.insert().values(
                    pipeline_id=pipeline_id,
                    at=event.at,
                    level=event.level,
                    kind=event.kind,
                    message=event.message,
                    data=event.data,
                )
            )

    def events(self, pipeline: str | None = None, *, limit: int = 100) -> list[EventRecord]:
        query = (
            sa.select(t.events, t.pipelines.c.name)
            .select_from(t.events.outerjoin(t.pipelines))
            .order_by(t.events.c.id.desc())
            .limit(limit)
        )
        if pipeline is not None:
            query = query.where(t.pipelines.c.name == pipeline)
        with transaction(self.engine) as connection:
            return [
                EventRecord(
                    pipeline=row.name,
                    kind=row.kind,
                    message=row.message,
                    level=row.level,
                    data=row.data or {},
                    at=_aware(row.at),
                )
                for row in connection.execute(query)
            ]

    def close(self) -> None:
        self.engine.dispose()


def _pipeline_id(connection: Connection, name: str, *, required: bool = True) -> int | None:
    found = connection.execute(
        sa.select(t.pipelines.c.id).where(t.pipelines.c.name == name)
    ).scalar()
    if found is None and required:
        raise PipelineNotFoundError(name)
    return found


def _pipeline(row: sa.Row) -> PipelineRecord:
    return PipelineRecord(
        name=row.name,
        kind=row.kind,
        trigger=row.trigger,
        spec=row.spec,
        state=row.state,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite forgets time zones; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
