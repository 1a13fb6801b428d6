"""A PostgreSQL database of a test's own, and a way to make it go away and come back.

The server is the one of ``tests/store/conftest.py`` (``CALMOPS_TEST_PG_URL``, else
127.0.0.1:5432, database ``test``). Each test gets a new database, dropped afterwards, so
cutting its connections never disturbs another test sharing the server. :func:`outage`
is a restart as the store sees it: every connection is terminated and new ones are refused
(``ALLOW_CONNECTIONS false``) until the block ends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("CALMOPS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def admin_engine() -> sa.Engine:
    """An autocommit engine on the server's ``test`` database; skips if none answers."""
    engine = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        engine.dispose()
        reason = f"no PostgreSQL answers at {PG_URL}: {str(error.orig).splitlines()[0]}"
        if os.environ.get("CALMOPS_TEST_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


@contextmanager
def fresh_database() -> Iterator[tuple[str, sa.Engine]]:
    """The URL of a new, empty database and the admin engine that controls it."""
    admin = admin_engine()
    name = f"calmops_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(PG_URL).set(database=name).render_as_string(False), admin
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_of(url: str) -> str:
    return sa.make_url(url).database


def terminate(admin: sa.Engine, database: str) -> int:
    """Terminate every connection to ``database``; how many there were."""
    with admin.connect() as connection:
        return len(
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            ).all()
        )


def refuse(admin: sa.Engine, database: str, refused: bool) -> None:
    """Refuse (or allow again) new connections to ``database``."""
    allow = "false" if refused else "true"
    with admin.connect() as connection:
        connection.execute(sa.text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {allow}'))


@contextmanager
def outage(admin: sa.Engine, database: str) -> Iterator[None]:
    """``database`` is down for the block: connections cut, new ones refused."""
    refuse(admin, database, True)
    terminate(admin, database)
    try:
        yield
    finally:
        refuse(admin, database, False)
