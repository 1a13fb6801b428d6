"""Kill -9 at seeded random moments: nothing is lost, nothing is done twice.

A real ``calmops run --once`` process is killed with SIGKILL again and again while it works
through a drifting stream; then it runs to the end. The store must be consistent, the
champion must load and verify, every file must have exactly one successful run, and the
decisions must equal those of an uninterrupted run of the same data. It runs on SQLite and on
PostgreSQL (a database of the test's own, fewer kills to keep the suite fast).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from tests.pg import fresh_database

from calmops.models.registry import ModelRegistry
from calmops.pipeline.retained import RetainedData

pytestmark = pytest.mark.slow  # a real process killed 8 times, then an uninterrupted twin

SPEC = {
    "model": {
        "class": "sklearn.tree.DecisionTreeClassifier",
        "params": {"max_depth": 6, "random_state": 0},
    },
    "retrain": {"strategy": "window", "window_batches": 2},
}
ATTEMPTS = {"sqlite": 8, "postgresql": 5}
BATCHES = 14  # enough work left for every attempt to be killed inside a run


def _calmops(lab, *args: str) -> subprocess.Popen:
    env = {**os.environ}
    env.pop("CALMOPS_DB_URL", None)
    if lab.db_url:
        env["CALMOPS_DB_URL"] = lab.db_url
    return subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(lab.ws.home), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest):
    """The store of the killed pipeline: SQLite in the workspace, or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        yield None
        return
    with fresh_database() as (url, _admin):
        yield url


def _wait_until_a_run_started(lab, process: subprocess.Popen, timeout: float = 60) -> None:
    """Past the interpreter's start-up: the process has claimed a file (or already ended)."""
    deadline = time.monotonic() + timeout
    known = {r.id for r in lab.ws.store.runs.list("demo", limit=1000)}
    while time.monotonic() < deadline and process.poll() is None:
        if any(r.id not in known for r in lab.ws.store.runs.list("demo", limit=5)):
            return
        time.sleep(0.02)


def _decisions(lab) -> dict[str, list[str]]:
    by_file: dict[str, list[str]] = {}
    for run in lab.ws.store.runs.list("demo", limit=1000):
        if run.status == "succeeded":
            by_file.setdefault(Path(run.source).name, []).append(run.decision)
    return by_file


def _feed(lab, sea) -> None:
    lab.create(**SPEC)
    for index, frame in enumerate(sea(BATCHES, size=1500, drift_at=7)):
        lab.write(frame, name=f"batch_{index:02d}.csv")


def test_sigkill_at_random_points_loses_nothing_and_repeats_nothing(
    db_url, sea, make_lab, tmp_path
) -> None:
    lab = make_lab(tmp_path / "killed", db_url=db_url)
    _feed(lab, sea)
    rng = random.Random(20261126)
    killed = 0
    attempts = ATTEMPTS["postgresql" if db_url else "sqlite"]
    for _ in range(attempts):
        process = _calmops(lab, "run", "demo", "--once")
        _wait_until_a_run_started(lab, process)
        time.sleep(rng.uniform(0.0, 0.6))  # a seeded random moment inside the work
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(timeout=30)
    assert killed >= attempts // 2, "the runs finished before they could be killed"
    final = _calmops(lab, "run", "demo", "--once")
    assert final.wait(timeout=300) == 0

    store = lab.ws.store
    files = sorted(p.name for p in lab.incoming.iterdir())
    # every file: exactly one successful run, and the ledger says done
    successes = Counter(
        Path(r.source).name for r in store.runs.list("demo", limit=1000) if r.status == "succeeded"
    )
    assert {name: successes[name] for name in files} == {name: 1 for name in files}
    ledger = store.runs.ledger("demo")
    assert sorted(Path(e.file.path).name for e in ledger) == files
    assert {e.status for e in ledger} == {"done"}
    # no run is left half-done; the interrupted ones say so
    runs = store.runs.list("demo", limit=1000)
    assert all(r.status in ("succeeded", "failed") for r in runs)
    interrupted = [r for r in runs if r.status == "failed"]
    assert all("interrupted" in r.error for r in interrupted)
    assert interrupted, "no kill landed inside a run"
    # every registered version loads and verifies; the champion is one of them
    registry = ModelRegistry(store, "demo", lab.ws.paths("demo").models)
    for version in store.models.versions("demo"):
        registry.load(version)
    champion = registry.alias("champion")
    assert champion is not None
    assert (lab.ws.paths("demo").reference / f"v{champion.version}").is_dir()
    # retained data holds committed runs only
    retained = RetainedData(store, "demo", lab.ws.paths("demo").data)
    assert sum(len(b) for b in retained.load(10**9)) == BATCHES * 1500
    # and the outcome is the one an uninterrupted run reaches
    clean = make_lab(tmp_path / "clean")
    _feed(clean, sea)
    assert _calmops(clean, "run", "demo", "--once").wait(timeout=300) == 0
    assert _decisions(lab) == _decisions(clean)
    assert store.models.aliases("demo") == clean.ws.store.models.aliases("demo")
    store.close()
