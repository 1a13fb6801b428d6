"""NannyML 0.13's CBPE / DLE on one workload; run by ``estimation_bench.py`` with the python
of its own virtual environment (``/tmp/nannyml-venv``), never imported by CalmOps.

Reads ``FOLDER/spec.json`` (task, features, classes, metrics), ``FOLDER/reference.parquet``
(the held-out rows with ``y_true``) and ``FOLDER/batch_<i>.parquet`` (no labels); fits once on
the reference and estimates each batch in its own ``estimate`` call (one chunk per call; timed
5 times, the fastest kept), and writes ``FOLDER/nannyml.json``: the estimates and the seconds
of each call.

Usage: ``python estimation_nannyml.py FOLDER``
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no telemetry calls in the timing

import nannyml as nml  # noqa: E402
import pandas as pd  # noqa: E402

warnings.filterwarnings("ignore")
REPEATS = 5


def _estimator(spec: dict):
    metrics = spec["metrics"]
    if spec["task"] == "regression":
        return nml.DLE(
            feature_column_names=spec["features"],
            y_pred="y_pred",
            y_true="y_true",
            metrics=metrics,
            chunk_number=1,
        )
    classes = spec["classes"]
    if len(classes) == 2:
        return nml.CBPE(
            y_pred_proba=f"p_{classes[1]}",
            y_pred="y_pred",
            y_true="y_true",
            problem_type="classification_binary",
            metrics=metrics,
            chunk_number=1,
        )
    return nml.CBPE(
        y_pred_proba={c: f"p_{c}" for c in classes},
        y_pred="y_pred",
        y_true="y_true",
        problem_type="classification_multiclass",
        metrics=metrics,
        chunk_number=1,
    )


def main(folder: Path) -> None:
    spec = json.loads((folder / "spec.json").read_text())
    reference = pd.read_parquet(folder / "reference.parquet")
    estimator = _estimator(spec)
    start = time.perf_counter()
    estimator.fit(reference)
    fit_seconds = time.perf_counter() - start
    batches = []
    for i in range(spec["batches"]):
        batch = pd.read_parquet(folder / f"batch_{i}.parquet")
        seconds = []
        for _ in range(REPEATS):  # the fastest of 5, as on CalmOps's side
            start = time.perf_counter()
            result = estimator.estimate(batch)
            seconds.append(time.perf_counter() - start)
        frame = result.filter(period="analysis").to_df()
        values = {m: float(frame[(m, "value")].iloc[0]) for m in spec["metrics"]}
        batches.append({"seconds": min(seconds), "values": values})
    out = {"version": nml.__version__, "fit_seconds": fit_seconds, "batches": batches}
    (folder / "nannyml.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
