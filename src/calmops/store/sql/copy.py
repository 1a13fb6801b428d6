"""Copying every row of one SQL store into another (``calmops migrate``): SQLite to
PostgreSQL, or between any two databases the store supports.

The target is opened (and migrated to the current schema) first and must hold no pipeline.
Rows go table by table in foreign-key order, in one transaction on the target, ids kept;
PostgreSQL's id sequences are then moved past the copied ids, so new rows do not collide.
Leases are not copied: they belong to the processes running on the old store, which stop
before a migration; the new store's first runner takes a fresh one.
"""

from __future__ import annotations

import sqlalchemy as sa

from calmops.errors import StoreError
from calmops.store.sql import tables as t
from calmops.store.sql.session import safe_url
from calmops.store.sql.store import SqlStore

__all__ = ["copy_rows", "row_counts"]

BATCH = 5000
NOT_COPIED = frozenset({"leases"})  # held by live processes of the old store


def _copied_tables() -> list[sa.Table]:
    return [table for table in t.metadata.sorted_tables if table.name not in NOT_COPIED]


def row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows per table of the store behind ``engine``."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in _copied_tables()
        }


def copy_rows(source: SqlStore, target: SqlStore) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; rows copied per table.

    Raises StoreError when the target already holds pipelines (nothing is copied then).
    """
    if row_counts(target.engine)["pipelines"]:
        raise StoreError(
            f"the target store {safe_url(str(target.engine.url))} already holds pipelines; "
            "migrate into an empty database"
        )
    copied: dict[str, int] = {}
    with source.engine.connect() as reading, target.engine.begin() as writing:
        for table in _copied_tables():
            writing.execute(table.delete())  # rows a fresh store seeded, if any
            result = reading.execute(sa.select(table)).mappings()
            copied[table.name] = 0
            while rows := result.fetchmany(BATCH):
                writing.execute(table.insert(), [dict(row) for row in rows])
                copied[table.name] += len(rows)
        if writing.dialect.name == "postgresql":
            _advance_sequences(writing)
    return copied


def _advance_sequences(connection: sa.Connection) -> None:
    for table in t.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.autoincrement or not isinstance(column.type, sa.Integer):
            continue
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name},
        )
