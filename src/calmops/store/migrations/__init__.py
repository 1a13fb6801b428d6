"""Alembic migrations of the SQL store, applied automatically when a store is opened.

``HEAD`` is the newest revision; opening a store at ``HEAD`` costs one query and no Alembic
import. To change the schema: edit ``sql/tables.py``, add ``versions/NNNN_<what>.py`` and
move ``HEAD`` (a test checks the migrated schema equals the tables).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from calmops.errors import StoreError
from calmops.store.sql.session import safe_url, transaction

__all__ = ["HEAD", "current_revision", "upgrade"]

HEAD = "0004"
SCRIPT_LOCATION = Path(__file__).parent
_PG_LOCK_KEY = 0x43414C4D  # "CALM": serialises concurrent upgrades on PostgreSQL


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the database to ``HEAD``; a no-op (one query) when it is already there."""
    with transaction(engine) as connection:
        if current_revision(connection) == HEAD:
            return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with transaction(engine, write=True) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        revision = current_revision(connection)
        if revision is not None and revision not in known:
            raise StoreError(
                f"the store at {safe_url(str(engine.url))} is at revision {revision}, "
                "written by a newer CalmOps: upgrade calmops to use it"
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
