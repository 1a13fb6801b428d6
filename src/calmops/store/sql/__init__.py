"""The SQL store: SQLAlchemy Core tables, SQLite by default, PostgreSQL by URL."""

from calmops.store.sql.store import SqlStore

__all__ = ["SqlStore"]
