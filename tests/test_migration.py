"""``calmops migrate``: a workspace on SQLite and its folder moves to PostgreSQL and S3
(moto's server on loopback standing in for S3/MinIO, ``tests/s3.py``), verified, and its
runs continue there."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from tests.harness import Lab, sea_batches
from tests.pg import fresh_database

from calmops.artifacts import open_artifacts
from calmops.models.registry import ModelRegistry
from calmops.pipeline.runner import Runner
from calmops.settings import get_settings
from calmops.store.sql.copy import row_counts
from calmops.workspace import Workspace

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 4}}


@pytest.fixture
def pg_url():
    with fresh_database() as (url, _admin):
        yield url


@pytest.mark.slow
def test_a_workspace_moves_to_postgresql_and_s3_and_runs_on(tmp_path, cli, pg_url, s3_url):
    lab = Lab(tmp_path)
    lab.create(model=TREE)
    batches = sea_batches(5, size=500, drift_at=2)
    for frame in batches[:3]:
        lab.write(frame)
    assert [r.status for r in lab.run()] == ["succeeded"] * 3
    before = row_counts(lab.ws.store.engine)
    versions = lab.ws.store.models.versions("demo")

    result = cli("migrate", "--to", pg_url, "--artifacts", s3_url, "--json")
    assert result.exit_code == 0, result.output
    done = json.loads(result.output)
    assert done["rows"] == before and done["models_verified"] == len(versions)
    assert done["objects"]["demo"] > 0 and done["artifacts"] == s3_url
    assert row_counts(sa.create_engine(pg_url)) == before
    assert "leases" not in done["rows"]  # held by the old store's processes: not moved
    with sa.create_engine(pg_url).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM leases")).scalar() == 0
    remote = open_artifacts(s3_url, tmp_path).child("pipelines/demo")
    assert len(remote.list()) == done["objects"]["demo"]

    moved = Workspace(get_settings(home=lab.home))  # settings.yaml now says where
    assert moved.settings.db_url == pg_url and moved.settings.artifacts_url == s3_url
    assert moved.store.engine.dialect.name == "postgresql"
    champion = moved.store.models.aliases("demo")["champion"]
    registry = ModelRegistry(moved.store, "demo", moved.paths("demo").artifacts.child("models"))
    assert registry.load(registry.get(champion)) is not None  # read from S3, checksum checked
    for frame in batches[3:]:
        lab.write(frame)
    with Runner(moved, "demo") as runner:
        results = runner.run_pending()
    assert [r.status for r in results] == ["succeeded"] * 2  # the old three are not redone
    assert {f"metrics/runs/{r.run_id}.json" for r in results} <= set(remote.list())
    assert len(moved.store.runs.list("demo", limit=100)) == 5
    assert len(lab.ws.store.runs.list("demo", limit=100)) == 3  # the source is untouched


def test_migrating_into_a_store_that_has_pipelines_is_refused(tmp_path, cli, pg_url) -> None:
    lab = Lab(tmp_path)
    lab.create(model=TREE)
    target = tmp_path / "target"
    first = cli("migrate", "--to", pg_url, "--artifacts", str(target))
    assert first.exit_code == 0, first.output
    assert "verified" in first.output
    (lab.home / "settings.yaml").unlink()  # back on SQLite, then try again
    again = cli("migrate", "--to", pg_url, "--artifacts", str(target))
    assert again.exit_code == 1 and "already holds pipelines" in again.output
    assert not (lab.home / "settings.yaml").exists()
