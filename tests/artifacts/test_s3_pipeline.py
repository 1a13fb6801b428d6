"""A pipeline whose artifacts live in S3: created, run on drifting batches, retrained and
served; a tampered model object is refused; a killed write leaves no half object.

The S3 server is moto's standalone server on loopback (``tests/s3.py``), standing in for
S3 or MinIO: s3fs speaks the real S3 HTTP protocol to it.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.harness import Lab, sea_batches, sea_rows
from tests.server.conftest import start_server

from calmops.artifacts import open_artifacts
from calmops.errors import ModelIntegrityError
from calmops.models.registry import ModelRegistry
from calmops.workspace import Workspace

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 4}}


def _ran(tmp_path: Path, s3_url: str) -> Lab:
    lab = Lab(tmp_path, artifacts_url=s3_url)
    lab.create(model=TREE)
    for frame in sea_batches(4, size=600, drift_at=2):
        lab.write(frame)
    results = lab.run()
    assert [r.status for r in results] == ["succeeded"] * 4
    return lab


def _remote(lab: Lab, s3_url: str) -> list[str]:
    return open_artifacts(s3_url, lab.root / "elsewhere").child("pipelines/demo").list()


@pytest.mark.slow
def test_a_pipeline_runs_retrains_and_serves_with_artifacts_in_s3(tmp_path, s3_url) -> None:
    lab = _ran(tmp_path, s3_url)
    versions = lab.ws.store.models.versions("demo")
    assert len(versions) >= 2, "the drift at batch 2 retrained a challenger"
    keys = _remote(lab, s3_url)
    for version in versions:
        n = version.version
        assert {f"models/v{n}/model.joblib", f"models/v{n}/card.json"} <= set(keys)
        assert f"models/v{n}/holdout.npz" in keys and f"reference/v{n}/profile.json" in keys
        blob = open_artifacts(s3_url, tmp_path).get(f"pipelines/demo/{version.path}")
        assert hashlib.sha256(blob).hexdigest() == version.sha256
    runs = lab.runs()
    assert {f"metrics/runs/{r.id}.json" for r in runs} <= set(keys)
    assert any(k.startswith("data/") and k.endswith(".parquet") for k in keys)
    paths = lab.ws.paths("demo")  # nothing of that is in the local folder
    for folder in (paths.models, paths.reference, paths.data, paths.runs):
        assert not any(p.is_file() for p in folder.rglob("*")), folder

    champion = lab.ws.store.models.aliases("demo")["champion"]
    live, stop = start_server(lab.workspace(), log_flush_rows=1)
    try:
        rows = sea_rows(5).drop(columns=["target"]).to_dict(orient="records")
        answer = httpx.post(f"{live.url}/predict/demo", json=rows, timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.json()["model_version"] == champion
    finally:
        stop()  # writes the prediction log (and its copy in S3)
    logged = [k for k in _remote(lab, s3_url) if k.startswith("predictions/")]
    assert len(logged) == 1 and logged[0].endswith(".parquet")


@pytest.mark.slow
def test_a_tampered_model_object_is_refused(tmp_path, s3_url) -> None:
    lab = _ran(tmp_path, s3_url)
    champion = lab.ws.store.models.aliases("demo")["champion"]
    version = lab.ws.store.models.get("demo", champion)
    store = open_artifacts(s3_url, tmp_path)
    store.put(f"pipelines/demo/{version.path}", b"not the model that was saved")

    fresh = Workspace(lab.settings())  # another host: nothing cached
    registry = ModelRegistry(fresh.store, "demo", fresh.paths("demo").artifacts.child("models"))
    with pytest.raises(ModelIntegrityError, match="does not match its recorded checksum"):
        registry.load(version)
    live, stop = start_server(fresh)
    try:
        rows = sea_rows(2).drop(columns=["target"]).to_dict(orient="records")
        answer = httpx.post(f"{live.url}/predict/demo", json=rows, timeout=30)
    finally:
        stop()
    assert answer.status_code == 503 and "could not be loaded" in answer.text  # log says why


WRITER = """
import os, sys
from calmops.artifacts import open_artifacts
store = open_artifacts(sys.argv[1], sys.argv[2])
data = os.urandom(40 << 20)
print("writing", flush=True)
store.put("models/v9/model.joblib", data)
print("written", flush=True)
"""


@pytest.mark.slow
def test_a_killed_write_leaves_no_half_object(tmp_path, s3_url, s3_env) -> None:
    store = open_artifacts(s3_url, tmp_path)
    store.put("models/v9/model.joblib", b"the old model")
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, s3_url, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "writing"
    time.sleep(0.2)  # let the PUT start; where it is when killed does not matter
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    found = store.get("models/v9/model.joblib")
    assert found == b"the old model" or len(found) == 40 << 20, len(found)
    assert [k for k in store.list() if "v9" in k] == ["models/v9/model.joblib"]


def test_the_settings_file_and_the_environment_choose_the_store(tmp_path, monkeypatch) -> None:
    from calmops.settings import get_settings

    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.yaml").write_text(json.dumps({"artifacts": "memory://from-file"}))
    assert Workspace(get_settings(home=home)).artifacts.url == "memory://from-file"
    monkeypatch.setenv("CALMOPS_ARTIFACTS", "memory://from-env")
    assert Workspace(get_settings(home=home)).artifacts.url == "memory://from-env"
    monkeypatch.delenv("CALMOPS_ARTIFACTS")
    (home / "settings.yaml").unlink()
    assert Workspace(get_settings(home=home)).paths("demo").store is None  # the folder itself
