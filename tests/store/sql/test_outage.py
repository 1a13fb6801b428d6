"""The PostgreSQL store going away: a clear StoreUnavailableError, then silent reconnection."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests.pg import database_of, fresh_database, outage, terminate

from calmops.errors import StoreError, StoreUnavailableError
from calmops.store import open_store
from calmops.store.entities import PipelineRecord
from calmops.store.sql.session import is_disconnect, transaction

pytestmark = pytest.mark.slow  # a database created and dropped per test


@pytest.fixture
def database():
    with fresh_database() as (url, admin):
        yield url, admin


def test_connections_cut_while_idle_are_replaced_without_an_error(database) -> None:
    url, admin = database
    store = open_store(url)
    try:
        store.pipelines.create(PipelineRecord(name="demo", kind="stream", trigger="watch", spec={}))
        assert terminate(admin, database_of(url)) >= 1  # the pooled connection is gone
        assert store.pipelines.get("demo").name == "demo"  # pre-ping reconnected
    finally:
        store.close()


def test_a_store_that_is_down_raises_store_unavailable_then_recovers(database) -> None:
    url, admin = database
    store = open_store(url)
    try:
        store.pipelines.create(PipelineRecord(name="demo", kind="stream", trigger="watch", spec={}))
        with outage(admin, database_of(url)):
            with pytest.raises(StoreUnavailableError, match="cannot open the store") as raised:
                store.pipelines.get("demo")
            assert isinstance(raised.value, StoreError)  # 503 on the HTTP side
        assert store.pipelines.get("demo").name == "demo"
    finally:
        store.close()


def test_a_connection_cut_inside_a_transaction_commits_nothing(database) -> None:
    url, admin = database
    store = open_store(url)
    engine = store.engine
    with transaction(engine, write=True) as connection:
        connection.execute(sa.text("CREATE TABLE probe (x int)"))
    try:
        with pytest.raises(StoreUnavailableError, match="nothing of this transaction"):
            with transaction(engine, write=True) as connection:
                connection.execute(sa.text("INSERT INTO probe VALUES (1)"))
                terminate(sa.create_engine(url), database_of(url))  # ourselves included
                connection.execute(sa.text("INSERT INTO probe VALUES (2)"))
        with transaction(engine) as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM probe")).scalar() == 0
    finally:
        store.close()
        del admin


def test_a_bad_statement_is_not_taken_for_a_lost_connection(database) -> None:
    url, _admin = database
    store = open_store(url)
    try:
        with pytest.raises(sa.exc.ProgrammingError) as raised:
            with transaction(store.engine) as connection:
                connection.execute(sa.text("SELECT * FROM no_such_table"))
        assert not is_disconnect(raised.value)
    finally:
        store.close()
