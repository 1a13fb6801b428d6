"""Run retention in real pipelines: the newest runs stay, the ledger and the champion's
training run always do, and the reports on disk match the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.harness import Lab
from tests.pg import fresh_database

from calmops.pipeline.retained import RetainedData
from calmops.pipeline.retention import PER_RUN, prune_runs, sweep_reports
from calmops.pipeline.run_log import runs_folder

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 4}}


@pytest.fixture(params=["sqlite", "postgresql"])
def lab(request: pytest.FixtureRequest, tmp_path: Path):
    """A lab on SQLite in the workspace, or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield Lab(tmp_path)
        return
    with fresh_database() as (url, _admin):
        yield Lab(tmp_path, db_url=url)


def _stored(lab) -> set[str]:
    return {r.id for r in lab.ws.store.runs.list("demo", limit=1000)}


def _on_disk(folder: Path, suffix: str) -> set[str]:
    return {p.stem for p in folder.glob(f"*{suffix}")}


def test_keeps_the_newest_runs_the_champions_and_every_processed_file(lab, sea) -> None:
    lab.create(model=TREE, retention={"keep_runs": 3})
    paths = [lab.write(frame) for frame in sea(7, size=300)]
    results = lab.run()
    assert [r.decision for r in results] == ["train"] + ["no_drift"] * 6
    trained_by = results[0].run_id  # the champion's training run, the oldest
    newest = {r.run_id for r in results[-3:]}
    assert _stored(lab) == newest | {trained_by}
    folder = lab.ws.paths("demo")
    assert _on_disk(folder.runs, ".json") == _stored(lab)  # reports match the store
    assert _on_disk(runs_folder(folder.root), ".parquet") == newest  # prediction logs
    assert len(lab.ws.store.runs.ledger("demo")) == 7  # the ledger keeps every file
    # what the pipeline learns from stays: every batch's retained rows are still read
    retained = RetainedData(lab.ws.store, "demo", folder.data)
    assert len(retained.load(cap=10_000)) == 7
    again = lab.incoming / "the-same-as-batch-2.csv"
    shutil.copy(paths[1], again)
    assert lab.run_file(again).status == "skipped"  # a pruned run's file: processed before


def test_null_keeps_everything_until_a_limit_is_set(lab, sea) -> None:
    lab.create(model=TREE, retention={"keep_runs": None})
    batches = sea(5, size=300)
    for frame in batches[:4]:
        lab.write(frame)
    first = lab.run()[0]
    assert len(_stored(lab)) == 4
    lab.ws.update("demo", {"retention.keep_runs": 2})
    lab.write(batches[4])
    newest = lab.run()[0]
    assert _stored(lab) == {first.run_id, newest.run_id} | {r.id for r in lab.runs()[1:2]}


def test_a_failed_file_stays_until_it_is_retried(lab, sea) -> None:
    lab.create(model=TREE, retention={"keep_runs": 1})
    lab.write_bytes(b"x0,x1,x2,target\n0.1,0.2,0.3,", "cut.csv")  # truncated: fails
    for frame in sea(3, size=300):
        lab.write(frame)
    failed = next(r for r in lab.run() if r.status == "failed")
    assert failed.run_id in _stored(lab)  # `calmops retry` still has its reason


def test_pruning_by_hand_removes_the_rest_and_what_a_crash_left(lab, sea) -> None:
    lab.create(model=TREE, retention={"keep_runs": None})
    for frame in sea(5, size=300):
        lab.write(frame)
    results = lab.run()
    store, paths = lab.ws.store, lab.ws.paths("demo")
    would = prune_runs(store, "demo", paths, keep=2, dry_run=True)
    assert len(would.runs) == 2 and all(p.exists() for p in would.files)  # v1's run stays
    done = prune_runs(store, "demo", paths, keep=2)
    assert {r.id for r in done.runs} == {r.run_id for r in results[1:3]}
    assert not any(p.exists() for p in done.files)
    stray = paths.runs / "20200101T000000-deadbeef.json"  # a crash between store and file
    stray.write_text("{}")
    assert sweep_reports(store, "demo", paths) == [stray] and not stray.exists()


def test_a_run_prunes_at_most_per_run(lab, sea, monkeypatch) -> None:
    from calmops.pipeline import retention

    monkeypatch.setattr(retention, "PER_RUN", 2)
    lab.create(model=TREE, retention={"keep_runs": None})
    batches = sea(7, size=300)
    for frame in batches[:6]:
        lab.write(frame)
    lab.run()
    lab.ws.update("demo", {"retention.keep_runs": 1})
    lab.write(batches[6])
    lab.run()
    assert len(_stored(lab)) == 7 - 2  # 5 could go (all but the newest and v1's run): 2 did
    assert PER_RUN == 100


def test_the_performance_baseline_folder_is_bounded(lab, sea, monkeypatch) -> None:
    """Each accepted batch adds a file to the champion's baseline; files older than the rows a
    baseline can ever read are deleted, so the folder does not grow with the pipeline's age."""
    import calmops.pipeline.baseline as baseline_module

    monkeypatch.setattr(baseline_module, "MAX_ROWS", 600)  # two batches of 300
    lab.create(model=TREE, retention={"keep_runs": None})
    for frame in sea(6, size=300):
        lab.write(frame)
    results = lab.run()
    assert [r.decision for r in results] == ["train"] + ["no_drift"] * 5
    folder = lab.ws.paths("demo").reference / "v1" / "performance"
    kept = {p.stem for p in folder.glob("*.npz")}
    # the newest files holding the cap's rows stay (the last batch's file is added after
    # the baseline was read, so at most one more)
    assert 2 <= len(kept) <= 3
    assert kept == {r.run_id for r in results[1:][-len(kept) :]}  # the newest ones


def test_a_pruned_model_version_takes_its_reference_folder_with_it(lab, linear) -> None:
    """`promotion.keep_versions` deletes old versions' model files, and their reference
    profiles and baselines too (reference/v<N>/ would otherwise grow with every retrain)."""
    lab.create(model=TREE, promotion={"keep_versions": 2})
    batches = [frame for i in range(6) for frame in linear(1, seed=i, flip_at=0 if i % 2 else None)]
    for frame in batches:  # the sign of x1 flips on every batch: every batch retrains
        frame["target"] = (frame["target"] > 0).astype(int)
        lab.write(frame)
    results = lab.run()
    assert sum(r.decision == "retrain" for r in results) >= 3
    versions = {v.version for v in lab.ws.store.models.versions("demo")}
    assert len(versions) <= 3  # two kept, plus an alias-held one at most
    reference = lab.ws.paths("demo").reference
    assert {int(p.name[1:]) for p in reference.glob("v*")} == versions
