"""SQLite set-up (WAL, busy timeout, foreign keys), several processes at once, bad URLs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from calmops.errors import StoreError
from calmops.store import PipelineRecord, RunRecord, open_store
from calmops.store.sql import SqlStore


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_sqlite_file_and_folder_are_created(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "calmops.db"
    open_store(f"sqlite:///{target}").close()
    assert target.exists()


WRITER = """
import sys
from calmops.store import PipelineRecord, RunRecord, open_store

url, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = open_store(url)
for i in range(count):
    name = f"w{worker}-{i}"
    store.pipelines.create(PipelineRecord(name, "stream", "manual", {"name": name}))
    assert store.runs.begin(RunRecord(id=f"{name}-run", pipeline=name, status="running"))
store.close()
"""


def _writers(url: str, workers: int, count: int) -> list[int]:
    """Run ``workers`` processes writing ``count`` pipelines each; their exit codes.

    Each is a fresh interpreter running :data:`WRITER` (not a pickled function of this
    module: some installed packages ship a top-level ``tests`` package that would shadow
    ours in a spawned child)."""
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(w), str(count)])
        for w in range(workers)
    ]
    return [process.wait(timeout=120) for process in processes]


@pytest.mark.slow
def test_several_processes_write_one_sqlite_store_without_losing_anything(
    sqlite_url: str,
) -> None:
    open_store(sqlite_url).close()  # migrate once, as a workspace does on first use
    assert _writers(sqlite_url, 4, 15) == [0, 0, 0, 0]
    store = open_store(sqlite_url)
    assert len(store.pipelines.list()) == 60
    assert all(store.runs.latest(p.name) is not None for p in store.pipelines.list())


@pytest.mark.slow
def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert _writers(url, 3, 2) == [0, 0, 0]
    assert len(open_store(url).pipelines.list()) == 6


def test_foreign_keys_cascade_in_sqlite(sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    store.pipelines.create(PipelineRecord("demo", "stream", "manual", {"name": "demo"}))
    store.runs.begin(RunRecord(id="r1", pipeline="demo", status="running"))
    store.pipelines.delete("demo")
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM runs")).scalar() == 0
    store.close()


def test_invalid_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="invalid store URL"):
        open_store("not a url")


def test_unreachable_server_names_the_url_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://calm:s3cret@127.0.0.1:1/nowhere")
    message = str(caught.value)
    assert "cannot open the store at postgresql+psycopg://calm:***@127.0.0.1:1/nowhere" in message
    assert "s3cret" not in message


def test_plain_postgresql_urls_use_psycopg(postgresql_url: str) -> None:
    plain = postgresql_url.replace("postgresql+psycopg://", "postgresql://")
    store = open_store(plain)
    assert store.engine.dialect.driver == "psycopg"
    store.close()
