"""Stores to run the contract against: in memory, SQLite in a file, PostgreSQL in a schema.

PostgreSQL is 127.0.0.1:5432 (trust auth, database ``test``) unless ``CALMOPS_TEST_PG_URL``
says otherwise; each test gets a fresh schema. Where no server answers the PostgreSQL cases
are skipped with the reason, except when ``CALMOPS_TEST_REQUIRE_PG=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("CALMOPS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_or_skip() -> sa.Engine:
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
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


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh, empty schema (dropped afterwards)."""
    admin = _postgres_or_skip()
    schema = f"calmops_test_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'calmops.db'}"


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest):
    """Every store implementation, fresh and empty."""
    from calmops.store import open_store

    url = {
        "memory": lambda: "memory://",
        "sqlite": lambda: request.getfixturevalue("sqlite_url"),
        "postgresql": lambda: request.getfixturevalue("postgresql_url"),
    }[request.param]()
    opened = open_store(url)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty SQL database of each supported kind."""
    return request.getfixturevalue(f"{request.param}_url")
