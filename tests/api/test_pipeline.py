"""The Python API's Pipeline: runs on DataFrames and files (str or Path), reads back runs,
reports, drift and models, and moves the champion; real workspace, store and files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import calmops
from calmops.api import Model, Pipeline, Run
from calmops.data_generators import abrupt, generate_stream
from calmops.drift import DriftReport
from calmops.errors import CalmopsError, RunNotFoundError, SpecError
from calmops.pipeline.report import RunReport

pytestmark = pytest.mark.xdist_group("api_pipeline")

LINEAR = {"class": "sklearn.linear_model.LogisticRegression"}


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A pipeline that trained on a DataFrame, then ran a CSV (by str) after a concept
    change (a retrain, v2), then the same CSV again by Path (skipped)."""
    home = tmp_path_factory.mktemp("home")
    data, _ = generate_stream("sea", 2000, seed=1, target="y", schedule=abrupt(1000))
    ws = calmops.open(home)
    pipe = ws.create(
        {"name": "loop", "data": {"dir": str(home / "in"), "target": "y"}, "model": LINEAR}
    )
    csv = home / "second.csv"
    data[1000:].to_csv(csv, index=False)
    first = pipe.run(data[:1000])
    second = pipe.run(str(csv))
    again = pipe.run(Path(csv))
    return {"ws": ws, "pipe": pipe, "first": first, "second": second, "again": again, "csv": csv}


def test_a_dataframe_trains_the_first_model(loop: dict) -> None:
    first: Run = loop["first"]
    assert (first.status, first.decision, first.champion_version) == ("succeeded", "train", 1)
    assert first.source is None and first.rows == 1000 and first.ok


def test_a_file_given_as_str_runs_and_the_same_content_is_skipped(loop: dict) -> None:
    second, again = loop["second"], loop["again"]
    assert second.status == "succeeded" and second.source == str(loop["csv"])
    assert second.decision == "retrain" and second.champion_version == 2
    assert "balanced_accuracy fell" in second.reason
    assert second.metrics["balanced_accuracy"] < 0.95
    assert (again.status, again.id) == ("skipped", None)
    with pytest.raises(RunNotFoundError, match="was not run"):
        again.report()


def test_runs_are_listed_newest_first_and_as_a_frame(loop: dict) -> None:
    pipe: Pipeline = loop["pipe"]
    runs = pipe.runs()
    assert [r.id for r in runs] == [loop["second"].id, loop["first"].id]
    assert pipe.last_run() == runs[0] and pipe.get_run(loop["first"].id) == loop["first"]
    frame = pipe.runs_frame()
    assert frame.index.tolist() == [r.id for r in runs]
    assert frame.loc[loop["second"].id, "decision"] == "retrain"
    assert frame.loc[loop["second"].id, "balanced_accuracy"] == pytest.approx(
        loop["second"].metrics["balanced_accuracy"]
    )
    with pytest.raises(RunNotFoundError):
        pipe.get_run("no-such-run")


def test_the_report_is_the_one_written_to_disk(loop: dict) -> None:
    pipe: Pipeline = loop["pipe"]
    report = pipe.report()
    assert isinstance(report, RunReport) and report.run_id == loop["second"].id
    on_disk = json.loads((pipe.paths.runs / f"{report.run_id}.json").read_text())
    assert report == RunReport.from_dict(on_disk)
    assert loop["second"].report() == report
    assert pipe.report(loop["first"].id).decision.kind == "train"


def test_drift_of_a_run_is_a_drift_report(loop: dict) -> None:
    pipe: Pipeline = loop["pipe"]
    drift = pipe.drift()
    assert isinstance(drift, DriftReport)
    assert sorted(drift.features) == ["x0", "x1", "x2"]
    assert drift.to_dict() == pipe.report().drift
    pd.testing.assert_frame_equal(drift.to_frame(), pipe.report().to_frame())
    assert pipe.drift(loop["first"].id) is None  # the first model: nothing to compare with


def test_models_aliases_and_the_champion(loop: dict) -> None:
    pipe: Pipeline = loop["pipe"]
    models = pipe.models()
    assert [m.version for m in models] == [1, 2]
    assert pipe.aliases() == {"champion": 2, "previous": 1}
    assert isinstance(pipe.champion, Model) and pipe.champion.version == 2
    assert models[0].aliases == ("previous",) and models[1].is_champion
    assert models[1].run_id == loop["second"].id and len(models[1].sha256) == 64
    model = pipe.load_model()
    assert model.predict(pd.DataFrame({"x0": [9.0], "x1": [9.0], "x2": [0.0]})).shape == (1,)
    assert type(pipe.load_model(1)).__name__ == type(model).__name__


def test_rollback_and_promote_move_the_champion_with_a_reason(tmp_path: Path) -> None:
    data, _ = generate_stream("sea", 2000, seed=1, target="y", schedule=abrupt(1000))
    pipe = calmops.open(tmp_path).create(
        {"name": "moves", "data": {"dir": str(tmp_path / "in"), "target": "y"}, "model": LINEAR}
    )
    pipe.run(data[:1000])
    pipe.run(data[1000:])
    assert pipe.aliases()["champion"] == 2
    with pytest.raises(SpecError):
        pipe.rollback("")
    move = pipe.rollback("v2 fails on the new site")
    assert pipe.aliases()["champion"] == 1 and move.reason == "v2 fails on the new site"
    pipe.promote(2, "the site is back")
    assert pipe.aliases() == {"champion": 2, "previous": 1}


def test_pending_files_run_in_order(tmp_path: Path) -> None:
    data, _ = generate_stream("sea", 900, seed=2, target="y")
    folder = tmp_path / "in"
    pipe = calmops.open(str(tmp_path / "home")).create(
        {"name": "folder", "data": {"dir": str(folder), "target": "y"}, "model": LINEAR}
    )
    for i in range(3):
        data[300 * i : 300 * (i + 1)].to_csv(folder / f"b{i}.csv", index=False)
    assert [p.name for p in pipe.pending()] == ["b0.csv", "b1.csv", "b2.csv"]
    runs = pipe.run_pending()
    assert [Path(r.source).name for r in runs] == ["b0.csv", "b1.csv", "b2.csv"]
    assert all(r.status == "succeeded" for r in runs) and pipe.pending() == []
    assert pipe.run_pending() == []


def test_a_bad_file_is_a_failed_run_not_an_exception(tmp_path: Path) -> None:
    pipe = calmops.open(tmp_path).create(
        {"name": "bad", "data": {"dir": str(tmp_path / "in"), "target": "y"}, "model": LINEAR}
    )
    wrong = tmp_path / "wrong.parquet"
    wrong.write_bytes(b"not a parquet file at all")
    run = pipe.run(wrong)
    assert run.status == "failed" and not run.ok
    assert "wrong.parquet" in run.reason
    assert pipe.report(run.id).error == run.reason
    with pytest.raises(CalmopsError, match="no champion yet"):
        pipe.load_model()


def test_a_chunked_pipeline_runs_files_through_run_files(tmp_path: Path) -> None:
    data, _ = generate_stream("sea", 600, seed=3, target="y")
    csv = tmp_path / "all.csv"
    data.to_csv(csv, index=False)
    pipe = calmops.open(tmp_path).create(
        {
            "name": "chunks",
            "data": {
                "dir": str(tmp_path / "in"),
                "target": "y",
                "chunk": {"by": "rows", "size": 300},
            },
            "model": LINEAR,
        }
    )
    with pytest.raises(SpecError, match="run_files"):
        pipe.run(csv)
    runs = pipe.run_files(str(csv))
    assert [r.rows for r in runs] == [300, 300]


def test_update_changes_the_spec(tmp_path: Path) -> None:
    pipe = calmops.open(tmp_path).create({"name": "upd", "data": {"dir": str(tmp_path)}})
    spec = pipe.update({"retrain.strategy": "window"})
    assert spec.retrain.strategy == "window" == pipe.spec.retrain.strategy
    assert pipe.kind == "stream" and pipe.paths.root == tmp_path / "pipelines" / "upd"
    with pytest.raises(SpecError, match="retrain.strategy"):
        pipe.update({"retrain.strategy": "nope"})
