"""``calmops labels``: labels that arrive after their batch ran, joined to the run logs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from calmops.data_generators import generate_stream

TREE = "sklearn.tree.DecisionTreeClassifier"


@pytest.fixture
def truth(tmp_path: Path) -> pd.DataFrame:
    """Three batches of 600 rows with ids; the first is labelled, the others are not."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    data = generate_stream("sea", 1800, seed=5).data
    data.insert(0, "customer", [f"C-{i}" for i in range(len(data))])
    for i in range(3):
        part = data.iloc[i * 600 : (i + 1) * 600]
        path = folder / f"batch_{i}.csv"
        (part if i == 0 else part.drop(columns="target")).to_csv(path, index=False)
        os.utime(path, (1000 + i, 1000 + i))
    return data


@pytest.fixture
def pipeline(cli, truth, tmp_path: Path) -> str:
    made = cli(
        "create", "late", "--data-dir", str(tmp_path / "incoming"), "--target", "target",
        "--model", TREE, "--param", "max_depth=5", "--param", "random_state=0",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert cli("update", "late", "--set", "data.id_columns=[customer]").exit_code == 0
    ran = cli("run", "late", "--once")
    assert ran.exit_code == 0, ran.output
    return "late"


def _runs(home: Path) -> dict[str, Path]:
    folder = home / "pipelines" / "late" / "predictions" / "runs"
    return {p.stem: p for p in sorted(folder.glob("*.parquet"))}


def test_every_run_logs_its_predictions_by_id(pipeline, home: Path, truth) -> None:
    logs = _runs(home)
    assert len(logs) == 2  # the first batch trained the first model: nothing scored it
    for path in logs.values():
        log = pd.read_parquet(path)
        assert len(log) == 600
        assert log["_calmops_row"].tolist() == list(range(600))
        assert set(log["_calmops_prediction"].unique()) <= {0, 1}
        assert log["_calmops_proba"].between(0, 1).all()
        assert log["_calmops_source"].astype(str).str.endswith(".csv").all()
    ids = pd.concat(pd.read_parquet(p) for p in logs.values())["customer"]
    assert sorted(ids) == sorted(truth["customer"].iloc[600:])


def test_labels_by_key_give_each_run_its_realized_metrics(
    cli, pipeline, home: Path, truth, tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    chosen = truth.iloc[600:].sample(700, random_state=1)
    labels = chosen[["customer", "target"]].rename(columns={"target": "outcome"})
    labels = pd.concat([labels, labels.head(3)])  # three keys twice
    labels.sample(frac=1, random_state=rng.integers(99)).to_parquet(tmp_path / "labels.parquet")
    result = cli(
        "labels", pipeline, str(tmp_path / "labels.parquet"), "--key", "customer",
        "--target", "outcome", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert (found["labels"], found["matched"], found["duplicates"]) == (700, 700, 3)
    by_run = {r["run_id"]: r for r in found["runs"]}
    assert set(by_run) == set(_runs(home))
    for run_id, path in _runs(home).items():
        log = pd.read_parquet(path).merge(chosen, on="customer")
        assert by_run[run_id]["matched"] == len(log) and by_run[run_id]["logged"] == 600
        expected = {
            "accuracy": accuracy_score(log["target"], log["_calmops_prediction"]),
            "f1": f1_score(log["target"], log["_calmops_prediction"]),
            "roc_auc": roc_auc_score(log["target"], log["_calmops_proba"]),
        }
        for name, value in expected.items():
            assert by_run[run_id]["metrics"][name] == pytest.approx(value)
        report = json.loads((home / "pipelines/late/metrics/runs" / f"{run_id}.json").read_text())
        assert report["realized"]["matched"] == len(log)
        assert report["realized"]["metrics"]["accuracy"] == pytest.approx(expected["accuracy"])
        shown = json.loads(cli("report", pipeline, run_id, "--json").stdout)
        assert shown["realized"]["key"] == ["customer"]
        # the run JSON and the report show the realized value beside the estimate
        estimate = shown["estimation"]["metrics"]["accuracy"]
        assert estimate["realized"] == pytest.approx(expected["accuracy"])
        balanced = shown["estimation"]["metrics"]["balanced_accuracy"]
        assert shown["estimation"]["error"] == pytest.approx(
            balanced["realized"] - balanced["estimated"]
        )
        text = cli("report", pipeline, run_id).stderr + cli("report", pipeline, run_id).stdout
        assert f"realized {expected['accuracy']:.3f}" in text
        assert f"realized from labels.parquet ({len(log):,} of 600 rows labelled" in text
        kept = pd.read_parquet(home / "pipelines/late/data" / f"{run_id}.parquet")
        assert len(kept) == len(log) and "customer" not in kept.columns
    # the run history (calmops runs, the dashboards) now shows the realized values
    listed = {r["run_id"]: r for r in json.loads(cli("runs", pipeline, "--json").stdout)}
    for run_id in by_run:
        realized = by_run[run_id]["metrics"]["accuracy"]
        assert listed[run_id]["metrics"]["accuracy"] == pytest.approx(realized)


def test_labels_run_the_joined_rows_as_a_labelled_batch(
    cli, pipeline, truth, tmp_path: Path
) -> None:
    truth.iloc[600:1200][["customer", "target"]].to_csv(tmp_path / "l.csv", index=False)
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer", "--run")
    assert result.exit_code == 0, result.output
    assert "ran the 600 newly labelled rows as run" in result.stderr
    ran = json.loads(result.stdout) if result.stdout.strip() else None
    runs = json.loads(cli("runs", pipeline, "--json").stdout)
    assert runs[0]["status"] == "succeeded" and "l-" in runs[0]["file"]  # labels/l-<sha>
    report = json.loads(cli("report", pipeline, runs[0]["run_id"], "--json").stdout)
    assert report["rows"] == 600 and report["labelled"] is True
    assert ran is None


def test_labels_matching_nothing_are_an_error_showing_both_sides(
    cli, pipeline, tmp_path: Path
) -> None:
    pd.DataFrame({"customer": ["X-1", "X-2"], "target": [0, 1]}).to_csv(tmp_path / "l.csv")
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer")
    assert result.exit_code == 1
    assert "no label matched a logged prediction by customer" in result.stderr
    assert "X-1" in result.stderr and "C-6" in result.stderr


def test_some_unmatched_labels_are_a_warning(cli, pipeline, truth, tmp_path: Path) -> None:
    known = truth.iloc[600:610][["customer", "target"]]
    extra = pd.DataFrame({"customer": ["X-1"], "target": [1]})
    pd.concat([known, extra]).to_csv(tmp_path / "l.csv", index=False)
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer")
    assert result.exit_code == 0, result.output
    assert "1 labels matched no logged prediction by customer" in result.stderr
    assert "X-1" in result.stderr
    assert "10 of 600 rows labelled" in result.stderr


def test_a_missing_key_column_is_named(cli, pipeline, tmp_path: Path) -> None:
    pd.DataFrame({"id": [1], "target": [0]}).to_csv(tmp_path / "l.csv", index=False)
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer")
    assert result.exit_code == 1 and "has no column 'customer'" in result.stderr


def test_labels_by_request_id_join_the_served_log(cli, pipeline, home: Path, tmp_path) -> None:
    from calmops.server.predictions import META, ParquetLog
    from calmops.server.traffic import labels_of

    root = home / "pipelines" / "late"
    served = ParquetLog(root / "predictions")
    served.append(
        {
            META + "request_id": np.array(["a", "a", "b", "c"], dtype=object),
            META + "row": np.array([0, 1, 0, 0], dtype=np.int32),
            META + "model_version": np.array([1, 1, 1, 1]),
            META + "prediction": np.array([1, 0, 1, 1]),
        }
    )
    served.flush()
    labels = pd.DataFrame({"request_id": ["a", "b", "zzz"], "target": [1, 0, 1]})
    labels.to_csv(tmp_path / "l.csv", index=False)
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "request_id")
    assert result.exit_code == 0, result.output
    # a labels both rows of its request: truth [1, 1, 0] against predictions [1, 0, 1]
    expected = accuracy_score([1, 1, 0], [1, 0, 1])
    assert f"served traffic in no run, v1: realized accuracy {expected:.3f}" in result.stderr
    assert "3 labelled served rows are in no run yet (not collected yet: `calmops run late" in (
        result.stderr
    )
    assert "e.g. [{'request_id': 'zzz'}]" in result.stderr
    assert "1 labels matched no logged prediction by request_id" in result.stderr
    fed = labels_of(root)  # the labels became feedback: `run --served` sees them
    assert sorted(zip(fed[META + "request_id"], fed[META + "row"], strict=True)) == [
        ("a", 0),
        ("a", 1),
        ("b", 0),
    ]


def test_a_labelled_batch_is_not_labelled_again(cli, pipeline, truth, tmp_path: Path) -> None:
    truth.iloc[600:1200][["customer", "target"]].to_csv(tmp_path / "l.csv", index=False)
    assert (
        cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer", "--run").exit_code
        == 0
    )
    again = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer", "--json")
    assert again.exit_code == 0, again.output
    [run] = json.loads(again.stdout)["runs"]  # the original run only, not the labelled batch
    assert run["matched"] == 600 and run["source"].endswith("batch_1.csv")


def test_labels_run_twice_run_once_and_a_changed_file_runs_only_its_new_rows(
    cli, pipeline, home: Path, truth, tmp_path: Path
) -> None:
    first = truth.iloc[600:900][["customer", "target"]]
    first.to_csv(tmp_path / "l.csv", index=False)
    args = ("labels", pipeline, str(tmp_path / "l.csv"), "--key", "customer", "--run")
    assert cli(*args).exit_code == 0
    runs = json.loads(cli("runs", pipeline, "--json").stdout)
    again = cli(*args)
    assert again.exit_code == 0, again.output
    assert "were already joined and run as run " + runs[0]["run_id"] in again.stderr
    assert "nothing to do" in again.stderr
    assert json.loads(cli("runs", pipeline, "--json").stdout) == runs  # nothing ran
    quiet = json.loads(cli(*args, "--json").stdout)
    assert quiet["already_run"]["run_id"] == runs[0]["run_id"] and quiet["batch"] is None
    # the file grows: its 200 new labels run once, the 300 that ran are left out
    truth.iloc[600:1100][["customer", "target"]].to_csv(tmp_path / "l.csv", index=False)
    grown = json.loads(cli(*args, "--json").stdout)
    assert grown["batch"]["rows"] == 200 and grown["batch"]["already_run_rows"] == 300
    report = json.loads(cli("report", pipeline, grown["batch"]["run_id"], "--json").stdout)
    assert report["rows"] == 200 and report["labelled"] is True
    assert "already joined" in cli(*args).stderr
    assert len(json.loads(cli("runs", pipeline, "--json").stdout)) == len(runs) + 1


def _serve(root: Path, rows: pd.DataFrame, request: str, predictions) -> None:
    """Log ``rows`` as one served request (as ``calmops serve`` does), flushed to a file."""
    from calmops.server.predictions import META, ParquetLog

    book = ParquetLog(root / "predictions")
    size = len(rows)
    book.append(
        {
            **{c: rows[c].to_numpy() for c in rows.columns},
            META + "request_id": np.full(size, request, dtype=object),
            META + "row": np.arange(size, dtype=np.int32),
            META + "model_version": np.full(size, 1),
            META + "prediction": np.asarray(predictions),
        }
    )
    book.flush()


def test_served_labels_land_on_the_run_that_monitored_them(
    cli, pipeline, home: Path, truth, tmp_path: Path
) -> None:
    root = home / "pipelines" / "late"
    features = truth.drop(columns=["target", "customer"])
    monitored, later = features.iloc[:300], features.iloc[300:400]
    guess = (truth["target"].to_numpy() + (np.arange(len(truth)) % 4 == 0)) % 2  # 75% right
    _serve(root, monitored, "r-1", guess[:300])
    ran = cli("run", pipeline, "--served", "--json")
    assert ran.exit_code == 0, ran.output
    [served_run] = json.loads(ran.stdout)
    _serve(root, later, "r-2", guess[300:400])  # after the run: no run covers it yet
    labels = pd.DataFrame({"request_id": ["r-1"] * 300 + ["r-2"] * 100, "row": list(range(300))
                           + list(range(100)), "target": truth["target"].iloc[:400]})  # fmt: skip
    labels.to_csv(tmp_path / "l.csv", index=False)
    result = cli("labels", pipeline, str(tmp_path / "l.csv"), "--key", "request_id",
                 "--key", "row")  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = accuracy_score(truth["target"].iloc[:300], guess[:300])
    assert f"run {served_run['run_id']} (served-" in result.stderr
    assert "300 of 300 rows labelled; realized balanced_accuracy" in result.stderr
    assert f"(accuracy {expected:.3f}," in result.stderr
    assert "100 labelled served rows are in no run yet (not collected yet" in result.stderr
    rest = accuracy_score(truth["target"].iloc[300:400], guess[300:400])
    assert f"served traffic in no run, v1: realized accuracy {rest:.3f}" in result.stderr
    listed = {r["run_id"]: r for r in json.loads(cli("runs", pipeline, "--json").stdout)}
    shown = listed[served_run["run_id"]]
    assert shown["metrics"]["accuracy"] == pytest.approx(expected)
    report = json.loads(cli("report", pipeline, served_run["run_id"], "--json").stdout)
    assert report["realized"]["metrics"]["accuracy"] == pytest.approx(expected)
    assert report["realized"]["logged"] == 300 and report["realized"]["key"] == [
        "request_id", "row",
    ]  # fmt: skip


def test_feedback_after_a_served_run_lands_on_it_at_the_next_served_call(
    cli, pipeline, home: Path, truth
) -> None:
    from calmops.server.predictions import META, ParquetLog

    root = home / "pipelines" / "late"
    features = truth.drop(columns=["target", "customer"]).iloc[:200]
    guess = truth["target"].to_numpy()[:200].copy()
    guess[:50] = 1 - guess[:50]  # 75% right
    _serve(root, features, "r-9", guess)
    [served_run] = json.loads(cli("run", pipeline, "--served", "--json").stdout)
    book = ParquetLog(root / "feedback")  # as POST /feedback writes it
    labels = np.empty(200, dtype=object)
    labels[:] = truth["target"].iloc[:200].tolist()
    book.append(
        {
            META + "request_id": np.full(200, "r-9", dtype=object),
            META + "row": np.arange(200, dtype=np.int32),
            META + "received_at": np.full(200, np.datetime64("now", "us")),
            META + "label": labels,
        }
    )
    book.flush()
    again = cli("run", pipeline, "--served")
    assert again.exit_code == 0, again.output
    assert f"Realized on run {served_run['run_id']} (served traffic, 200 of 200" in again.stderr
    report = json.loads(cli("report", pipeline, served_run["run_id"], "--json").stdout)
    assert report["realized"]["metrics"]["accuracy"] == pytest.approx(0.75)
    assert report["estimation"]["metrics"]["accuracy"]["realized"] == pytest.approx(0.75)
