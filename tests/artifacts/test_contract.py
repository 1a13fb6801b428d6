"""One contract for every artifact store: local folder, fsspec memory, S3 (moto server)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from calmops.artifacts import ArtifactStore, FsspecArtifacts, LocalArtifacts, open_artifacts
from calmops.errors import ArtifactError, ArtifactNotFoundError


@pytest.fixture(params=["local", "memory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ArtifactStore:
    if request.param == "local":
        return LocalArtifacts(tmp_path / "home")
    if request.param == "memory":
        return FsspecArtifacts(f"memory://contract-{uuid.uuid4().hex[:8]}", cache=tmp_path)
    return open_artifacts(request.getfixturevalue("s3_url"), tmp_path / "home")


def test_put_returns_the_sha256_and_get_reads_the_same_bytes(store: ArtifactStore) -> None:
    data = b"model bytes" * 100
    assert store.put("models/v1/model.joblib", data) == hashlib.sha256(data).hexdigest()
    assert store.get("models/v1/model.joblib") == data
    store.put("models/v1/model.joblib", b"new")
    assert store.get("models/v1/model.joblib") == b"new"


def test_a_missing_key_is_a_clear_not_found(store: ArtifactStore) -> None:
    with pytest.raises(ArtifactNotFoundError, match="no artifact 'nothing/here'"):
        store.get("nothing/here")
    assert not store.exists("nothing/here")
    assert store.list("nothing") == []
    assert store.folder("nothing") is None


def test_list_child_and_delete(store: ArtifactStore) -> None:
    for key in ("pipelines/a/models/v1/card.json", "pipelines/a/data/r1.parquet", "other.txt"):
        store.put(key, b"x")
    assert store.list("pipelines/a") == [
        "pipelines/a/data/r1.parquet",
        "pipelines/a/models/v1/card.json",
    ]
    child = store.child("pipelines/a")
    assert child.list() == ["data/r1.parquet", "models/v1/card.json"]
    assert child.exists("models/v1") and child.exists("data/r1.parquet")
    child.delete("models")
    assert store.list("pipelines") == ["pipelines/a/data/r1.parquet"]
    assert store.get("other.txt") == b"x"


def test_staged_folder_replaces_the_old_one_whole(store: ArtifactStore) -> None:
    with store.staged("reference/v1") as folder:
        (folder / "profile.json").write_text("{}")
        (folder / "old.npz").write_bytes(b"1")
        (folder / "labels").mkdir()
        (folder / "labels" / "profile.json").write_text("[]")
    with store.staged("reference/v1") as folder:
        (folder / "profile.json").write_text('{"v": 2}')
    assert store.list("reference") == ["reference/v1/profile.json"]
    local = store.folder("reference/v1")
    assert sorted(p.name for p in local.iterdir()) == ["profile.json"]
    assert (local / "profile.json").read_text() == '{"v": 2}'


def test_an_error_inside_staged_publishes_nothing(store: ArtifactStore) -> None:
    with pytest.raises(RuntimeError), store.staged("models/v2") as folder:
        (folder / "model.joblib").write_bytes(b"half")
        raise RuntimeError("the training crashed")
    assert store.list("models") == []


def test_keys_cannot_leave_the_store(store: ArtifactStore) -> None:
    with pytest.raises(ArtifactError, match="relative path without"):
        store.put("../escape", b"x")
    with pytest.raises(ArtifactError):
        store.get("/etc/passwd")


def test_open_artifacts_picks_the_store_by_url(tmp_path: Path) -> None:
    assert open_artifacts(None, tmp_path).root == tmp_path
    assert open_artifacts(f"file://{tmp_path}/a", tmp_path).root == tmp_path / "a"
    assert isinstance(open_artifacts("memory://bucket/x", tmp_path), FsspecArtifacts)
    with pytest.raises(ArtifactError, match="cannot open 'nosuchscheme://x'"):
        open_artifacts("nosuchscheme://x", tmp_path)
