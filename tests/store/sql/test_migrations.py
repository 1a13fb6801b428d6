"""Migrations: a fresh database reaches HEAD, matches the tables, and is not migrated twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from calmops.errors import StoreError
from calmops.store import migrations
from calmops.store.sql import SqlStore
from calmops.store.sql.session import create_store_engine
from calmops.store.sql.tables import metadata


def test_head_constant_is_the_newest_script() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations.SCRIPT_LOCATION))
    assert ScriptDirectory.from_config(config).get_current_head() == migrations.HEAD


def test_migrated_schema_equals_the_tables(sql_url: str) -> None:
    store = SqlStore(sql_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == migrations.HEAD
        differences = compare_metadata(context, metadata)
    store.close()
    assert differences == []


def test_every_table_of_the_design_exists(sql_url: str) -> None:
    store = SqlStore(sql_url)
    names = set(sa.inspect(store.engine).get_table_names())
    store.close()
    assert {
        "pipelines",
        "runs",
        "metrics",
        "drift_results",
        "model_versions",
        "aliases",
        "alias_changes",
        "processed_files",
        "breakers",
        "events",
    } <= names


def test_reopening_at_head_does_not_run_alembic(sqlite_url: str, monkeypatch) -> None:
    SqlStore(sqlite_url).close()
    import alembic.command

    def fail(*args, **kwargs):
        raise AssertionError("alembic ran on a database already at HEAD")

    monkeypatch.setattr(alembic.command, "upgrade", fail)
    SqlStore(sqlite_url).close()


def test_a_store_from_a_newer_calmops_is_refused(sqlite_url: str) -> None:
    SqlStore(sqlite_url).close()
    engine = create_store_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision 9999, written by a newer CalmOps"):
        SqlStore(sqlite_url)
