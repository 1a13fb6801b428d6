"""Engines and transactions: the one place that commits or rolls back.

SQLite runs in WAL mode with a busy timeout and foreign keys on; write transactions start
with ``BEGIN IMMEDIATE`` so concurrent writers queue on the lock instead of failing with
"database is locked" half-way. PostgreSQL URLs use psycopg 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from calmops.errors import StoreError, StoreUnavailableError

__all__ = ["create_store_engine", "is_disconnect", "transaction", "safe_url"]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def safe_url(url: str) -> str:
    """The URL with any password hidden, fit for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid URL>"


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` set up for CalmOps (see the module docstring)."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"invalid store URL {url!r}: use an SQLAlchemy URL such as "
            "sqlite:////path/calmops.db or postgresql://user@host:5432/db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise StoreError(
            f"the driver for {safe_url(url)} is not installed ({error.name}); "
            "for PostgreSQL run: pip install 'calmops[postgres]'"
        ) from None


def _sqlite_engine(url: sa.URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("calmops_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back if it raises.

    A store that cannot be reached, or that drops the connection during the transaction
    (a PostgreSQL restart), raises :class:`StoreUnavailableError`: nothing of the
    transaction was committed. Connections kept in the pool are checked before use
    (``pool_pre_ping``), so a server that restarted while nothing was asked is reconnected to
    silently.
    """
    where = safe_url(str(engine.url))
    try:
        connection = engine.connect()
    except sa.exc.OperationalError as error:
        note = _space_note(engine)
        if note:  # a disk or folder problem on our side: not a server that will come back
            raise StoreError(f"cannot open the store at {where}: {_first(error)}{note}") from None
        raise StoreUnavailableError(f"cannot open the store at {where}: {_first(error)}") from None
    try:
        with connection:
            if write:
                connection = connection.execution_options(calmops_write=True)
            with connection.begin():
                yield connection
    except sa.exc.DBAPIError as error:
        if is_disconnect(error):
            raise StoreUnavailableError(
                f"the store at {where} stopped answering ({_first(error)}); nothing of this "
                "transaction was committed: try again once it is back"
            ) from None
        if not isinstance(error, sa.exc.OperationalError):
            raise
        raise StoreError(  # the disk, the server: not our data
            f"the store at {where} could not complete a transaction "
            f"(nothing of it was kept): {_first(error)}{_space_note(engine)}"
        ) from None


def is_disconnect(error: BaseException) -> bool:
    """Whether ``error`` says the database connection was lost (not a bad statement)."""
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    kind = isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)
    return kind and _looks_lost(error)


def _looks_lost(error: sa.exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return any(
        word in text for word in ("terminat", "closed", "connection", "server", "shutdown", "admin")
    )


def _first(error: sa.exc.DBAPIError) -> str:
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]


LOW_SPACE_BYTES = 1 << 20


def _space_note(engine: Engine) -> str:
    """For a SQLite store on a read-only or (nearly) full disk, say so: SQLite's own words
    ("unable to open database file", "disk I/O error") do not."""
    import os
    import shutil

    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return ""
    folder = Path(database).parent
    if folder.exists() and not os.access(folder, os.W_OK):
        return (
            f" (the folder {folder} is read-only: CalmOps writes its workspace there; "
            "give it a writable --home or CALMOPS_HOME)"
        )
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    if free >= LOW_SPACE_BYTES:
        return ""
    return f" (the disk holding it has {free:,} bytes free: free some space, then run again)"
