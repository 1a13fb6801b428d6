"""Pipeline leases in SQL: one row per pipeline, taken with a conditional UPDATE.

``acquire`` updates the row only where the caller already holds it or it has expired; the
database serialises those updates (SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's row lock), so
two processes racing for an expired lease cannot both win. The first lease of a pipeline is
an INSERT inside a savepoint: the loser of that race sees the winner's row.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from calmops.store.entities import Lease, utcnow
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.session import transaction

__all__ = ["SqlLeases"]


class SqlLeases:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def acquire(self, claim: Lease, *, replacing: str | None = None) -> Lease:
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, claim.pipeline)
            if not _take(connection, owner, claim, replacing):
                try:
                    with connection.begin_nested():
                        connection.execute(
                            t.leases.insert().values(pipeline_id=owner, **_values(claim))
                        )
                except sa.exc.IntegrityError:
                    pass  # another process inserted first: its row is read below
            return _read(connection, owner, claim.pipeline)

    def renew(self, pipeline: str, holder: str, expires_at: datetime) -> bool:
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, pipeline)
            done = connection.execute(
                t.leases.update()
                .where(t.leases.c.pipeline_id == owner, t.leases.c.holder == holder)
                .values(expires_at=expires_at)
            )
            return done.rowcount == 1

    def release(self, pipeline: str, holder: str) -> None:
        with transaction(self._engine, write=True) as connection:
            owner = pipeline_id(connection, pipeline, required=False)
            if owner is not None:
                connection.execute(
                    t.leases.delete().where(
                        t.leases.c.pipeline_id == owner, t.leases.c.holder == holder
                    )
                )

    def get(self, pipeline: str) -> Lease | None:
        with transaction(self._engine) as connection:
            return _read(connection, pipeline_id(connection, pipeline), pipeline)

    def list(self) -> list[Lease]:
        with transaction(self._engine) as connection:
            rows = connection.execute(
                sa.select(t.leases, t.pipelines.c.name)
                .join(t.pipelines, t.pipelines.c.id == t.leases.c.pipeline_id)
                .order_by(t.pipelines.c.name)
            ).all()
        return [_lease(row, row.name) for row in rows]


def _take(connection: Connection, owner: int, claim: Lease, replacing: str | None) -> bool:
    """Update the row if ``claim.holder`` (or ``replacing``) holds it or it expired; whether
    it did."""
    c = t.leases.c
    ours = c.holder == claim.holder
    kept = sa.case((ours, c.acquired_at), else_=claim.acquired_at)  # a renewal keeps its start
    values = _values(claim) | {"acquired_at": kept}
    takeable = [ours, c.expires_at < utcnow()]
    if replacing is not None:
        takeable.append(c.holder == replacing)
    done = connection.execute(
        t.leases.update().where(c.pipeline_id == owner, sa.or_(*takeable)).values(**values)
    )
    return done.rowcount == 1


def _values(claim: Lease) -> dict:
    return {
        "holder": claim.holder,
        "host": claim.host,
        "pid": claim.pid,
        "executor": claim.executor,
        "node": claim.node,
        "acquired_at": claim.acquired_at,
        "expires_at": claim.expires_at,
    }


def _read(connection: Connection, owner: int, pipeline: str) -> Lease | None:
    row = connection.execute(sa.select(t.leases).where(t.leases.c.pipeline_id == owner)).first()
    return None if row is None else _lease(row, pipeline)


def _lease(row, pipeline: str) -> Lease:
    return Lease(
        pipeline=pipeline,
        holder=row.holder,
        host=row.host,
        pid=row.pid,
        expires_at=aware(row.expires_at),
        executor=row.executor,
        node=row.node,
        acquired_at=aware(row.acquired_at),
    )
