"""Circuit breakers and streaming-detector state in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from calmops.store.entities import BreakerState, utcnow
from calmops.store.sql import tables as t
from calmops.store.sql.common import aware, pipeline_id
from calmops.store.sql.session import transaction


class SqlState:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def breaker(self, pipeline: str) -> BreakerState:
        with transaction(self._engine) as connection:
            owner = pipeline_id(connection, pipeline)
            row = connection.execute(
                sa.select(t.breakers).where(t.breakers.c.pipeline_id == owner)
            ).first()
        if row is None:
            return BreakerState()
        return BreakerState(row.state, row.failures, aware(row.opened_at), aware(row.retry_at))

    def set_breaker(self, pipeline: str, state: BreakerState) -> None:
        with transaction(self._engine, write=True) as connection:
            write_breaker(connection, pipeline_id(connection, pipeline), state)

    def detector(self, pipeline: str) -> dict[str, Any] | None:
        with transaction(self._engine) as connection:
            owner = pipeline_id(connection, pipeline)
            return connection.execute(
                sa.select(t.detector_states.c.state).where(t.detector_states.c.pipeline_id == owner)
            ).scalar()


def write_breaker(connection: Connection, owner: int, state: BreakerState) -> None:
    """Replace the breaker row of pipeline ``owner`` (inside the caller's transaction)."""
    connection.execute(t.breakers.delete().where(t.breakers.c.pipeline_id == owner))
    connection.execute(
        t.breakers.insert().values(
            pipeline_id=owner,
            state=state.state,
            failures=state.failures,
            opened_at=state.opened_at,
            retry_at=state.retry_at,
        )
    )


def write_detector(connection: Connection, owner: int, state: dict[str, Any]) -> None:
    """Replace the saved detector state of pipeline ``owner``."""
    connection.execute(t.detector_states.delete().where(t.detector_states.c.pipeline_id == owner))
    connection.execute(
        t.detector_states.insert().values(pipeline_id=owner, state=state, updated_at=utcnow())
    )
