"""Each run's per-row predictions (``predictions/runs/<run-id>.parquet``): what they hold,
the spec switch, and the commit semantics (a crashed run's file is never counted)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from calmops.pipeline.run_log import committed_logs, runs_folder
from calmops.pipeline.runner import Runner
from calmops.store import RunRecord, utcnow

LOGISTIC = {"class": "sklearn.linear_model.LogisticRegression", "params": {"max_iter": 500}}


def _three_classes(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 2))
    return pd.DataFrame({"x0": x[:, 0], "x1": x[:, 1], "target": np.digitize(x[:, 0], [-0.5, 0.5])})


def test_a_multiclass_run_logs_each_class_probability(lab) -> None:
    lab.create(model=LOGISTIC)
    lab.write(_three_classes(300, 1), "b0.csv")
    lab.write(_three_classes(300, 2), "b1.csv")
    results = lab.run()
    assert [r.status for r in results] == ["succeeded", "succeeded"]
    logs = committed_logs(lab.ws.store, "demo", lab.ws.paths("demo").root)
    assert list(logs) == [results[1].run_id]  # the first batch trained: nothing scored it
    log = pd.read_parquet(logs[results[1].run_id])
    probabilities = log[["_calmops_proba:0", "_calmops_proba:1", "_calmops_proba:2"]]
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    predicted = probabilities.to_numpy().argmax(axis=1)
    assert (predicted == log["_calmops_prediction"].to_numpy()).all()


def test_the_switch_turns_the_log_off(lab, sea) -> None:
    lab.create(model=LOGISTIC, log_predictions=False)
    for i, batch in enumerate(sea(2, size=300)):
        lab.write(batch, f"b{i}.csv")
    assert [r.status for r in lab.run()] == ["succeeded", "succeeded"]
    assert not runs_folder(lab.ws.paths("demo").root).exists()


def test_a_crashed_runs_log_is_never_counted_and_is_removed(lab, sea) -> None:
    lab.create(model=LOGISTIC)
    for i, batch in enumerate(sea(2, size=300)):
        lab.write(batch, f"b{i}.csv")
    done = lab.run()[1].run_id
    root = lab.ws.paths("demo").root
    good = runs_folder(root) / f"{done}.parquet"
    # a run that wrote its log and crashed before its commit: recorded as running
    lab.ws.store.runs.begin(RunRecord("crashed-run", "demo", "running", started_at=utcnow()))
    orphan = runs_folder(root) / "crashed-run.parquet"
    pq.write_table(pq.read_table(good), orphan)
    assert list(committed_logs(lab.ws.store, "demo", root)) == [done]
    with Runner(lab.ws, "demo"):  # the next start of the pipeline cleans up
        pass
    assert not orphan.exists() and good.exists()
