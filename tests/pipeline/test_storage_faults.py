"""The workspace's disk misbehaving: full (a small tmpfs) or read-only (the tmpfs remounted
read-only). Each gives a clear one-line error, leaves the champion and the store intact,
and the batch runs once the disk is usable again.

Needs permission to mount a tmpfs (root, as on CI); skipped otherwise. (As root, a
``chmod`` cannot make a folder read-only: a read-only mount can.)
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.harness import sea_batches

from calmops.settings import Settings
from calmops.workspace import Workspace

FOREST = {
    "class": "sklearn.ensemble.RandomForestClassifier",
    "params": {"n_estimators": 60, "random_state": 0},
}


@pytest.fixture
def small_disk(tmp_path: Path):
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mountpoint)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield mountpoint
    subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def _fill(disk: Path, leave_bytes: int) -> Path:
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("ab") as handle:
        handle.write(b"\0" * max(free - leave_bytes, 0))
    return filler


@pytest.mark.slow
def test_a_full_disk_fails_clearly_and_loses_nothing(small_disk: Path, tmp_path: Path, cli):
    home, incoming = small_disk / "home", tmp_path / "incoming"
    incoming.mkdir()
    batches = sea_batches(2, size=1000)
    batches[1]["target"] = 1 - batches[1]["target"]  # a concept change: it must retrain
    for i, frame in enumerate(batches[:2]):
        frame.to_csv(incoming / f"b{i}.csv", index=False)
    args = ["--home", str(home)]
    created = cli(*args, "create", "demo", "--data-dir", str(incoming), "--target", "target",
                  "--model", FOREST["class"], "--param", "n_estimators=300",
                  "--param", "random_state=0")  # fmt: skip
    assert created.exit_code == 0, created.output
    assert cli(*args, "run", "demo", "--file", str(incoming / "b0.csv")).exit_code == 0

    # room for the store's writes (its WAL grows with every lease heartbeat: more on a loaded
    # machine), but not for a new model: the artifact write is what fails
    model_bytes = max(
        p.stat().st_size for p in home.rglob("*") if p.is_file() and "models" in p.parts
    )
    leave = 500_000
    assert model_bytes > 2 * leave, f"the premise needs a model larger than {2 * leave} bytes"
    filler = _fill(small_disk, leave_bytes=leave)
    failed = cli(*args, "run", "demo", "--file", str(incoming / "b1.csv"))
    assert failed.exit_code == 1, failed.output
    assert "No space left on device" in failed.stderr and "champion is unchanged" in failed.stderr
    assert "Traceback" not in failed.output

    filler.unlink()
    _fill(small_disk, leave_bytes=0)  # not even the store can write
    refused = cli(*args, "retry", "demo")
    assert refused.exit_code == 1 and "bytes free" in refused.stderr
    assert "Traceback" not in refused.output
    filler.unlink()

    ws = Workspace(Settings(home=home))
    assert ws.store.models.aliases("demo")["champion"] == 1
    champion = ws.store.models.get("demo", 1)
    models = ws.paths("demo").models
    assert not [p for p in models.iterdir() if p.name.startswith(".")], "staging left behind"
    from calmops.models.registry import ModelRegistry

    ModelRegistry(ws.store, "demo", models).load(champion)  # checksum verified
    with sqlite3.connect(home / "calmops.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    retried = cli(*args, "retry", "demo")
    assert retried.exit_code == 0, retried.output
    statuses = [r.status for r in ws.store.runs.list("demo")]
    assert statuses[0] == "succeeded" and statuses.count("succeeded") == 2


def _calmops(home: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI in its own process, so no open store handle keeps the disk busy."""
    return subprocess.run(
        [sys.executable, "-m", "calmops", "--home", str(home), *args],
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_a_read_only_workspace_is_one_clear_line(small_disk: Path, tmp_path: Path):
    home, incoming = small_disk / "home", tmp_path / "incoming"
    incoming.mkdir()
    first, second = sea_batches(2, size=500)
    first.to_csv(incoming / "b0.csv", index=False)
    created = _calmops(home, "create", "demo", "--data-dir", str(incoming), "--target",
                       "target", "--model", "sklearn.linear_model.LogisticRegression")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert _calmops(home, "run", "demo", "--once").returncode == 0
    second.to_csv(incoming / "b1.csv", index=False)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        refused = _calmops(home, "run", "demo", "--once")
        assert refused.returncode == 1
        assert f"the folder {home} is read-only" in refused.stderr
        assert "Traceback" not in refused.stderr
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    ran = _calmops(home, "run", "demo", "--once", "--json")
    assert ran.returncode == 0, ran.stderr
    assert [r["status"] for r in json.loads(ran.stdout)] == ["succeeded"]
