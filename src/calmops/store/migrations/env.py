"""Alembic environment: runs on the connection handed over by ``migrations.upgrade``."""

from __future__ import annotations

from alembic import context

from calmops.store.sql.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
