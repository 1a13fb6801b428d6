"""``SqlStore``: the store contract on SQLAlchemy Core (SQLite or PostgreSQL)."""

from __future__ import annotations

from calmops.store.sql.events import SqlEvents
from calmops.store.sql.leases import SqlLeases
from calmops.store.sql.models import SqlModels
from calmops.store.sql.pipelines import SqlPipelines
from calmops.store.sql.runs import SqlRuns
from calmops.store.sql.session import create_store_engine
from calmops.store.sql.state import SqlState

__all__ = ["SqlStore"]


class SqlStore:
    """A :class:`~calmops.store.base.Store` in a SQL database, migrated on open.

    Examples
    --------
    >>> from calmops.store.entities import PipelineRecord
    >>> store = SqlStore("sqlite://")
    >>> _ = store.pipelines.create(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
    >>> store.pipelines.get("demo").state
    'stopped'
    """

    def __init__(self, url: str) -> None:
        from calmops.store import migrations

        self.url = url
        self.engine = create_store_engine(url)
        migrations.upgrade(self.engine)
        self.pipelines = SqlPipelines(self.engine)
        self.runs = SqlRuns(self.engine)
        self.models = SqlModels(self.engine)
        self.state = SqlState(self.engine)
        self.events = SqlEvents(self.engine)
        self.leases = SqlLeases(self.engine)

    def close(self) -> None:
        self.engine.dispose()
