"""Watch-mode latency: from a file appearing in the data folder to its run being recorded.

Target (issue 7): for 10,000-row batches without retraining, the median latency is at most
1 s; the 95th percentile is reported. A real background monitor (`calmops start`) watches the
folder; each batch is written under a temporary name in the folder and renamed into place
(what a careful writer does), one at a time, and the latency is the time from the rename to
the run's ``finished_at`` in the store. The first file trains the model and is not counted.
The same is measured with the polling observer (``trigger.polling: true``, 1 s) for folders
where OS events do not work.

Run: ``.venv/bin/python benchmarks/monitor_bench.py``
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from calmops.data_generators import generate_stream
from calmops.monitor import daemon
from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace

FILES = 50
ROWS = 10_000
TARGET_SECONDS = 1.0


def _measure(root: Path, polling: bool) -> tuple[list[float], list[float], Counter]:
    incoming = root / "incoming"
    incoming.mkdir(parents=True)
    ws = Workspace(Settings(home=root / "home"))
    trigger = {"type": "watch", "polling": polling, "poll_seconds": 1.0}
    spec = {"name": "bench", "data": {"dir": str(incoming), "target": "target"}, "trigger": trigger}
    ws.create(PipelineSpec.from_dict(spec))
    frame = generate_stream("sea", ROWS * (FILES + 1), seed=7).data
    for index in range(FILES + 1):  # written beforehand under ignored names
        frame.iloc[index * ROWS : (index + 1) * ROWS].to_csv(
            incoming / f".batch_{index:03d}.csv.part", index=False
        )
    daemon.start(ws, "bench")
    latencies, run_seconds, decisions = [], [], Counter()
    try:
        for index in range(FILES + 1):
            part = incoming / f".batch_{index:03d}.csv.part"
            appeared = time.time()
            os.replace(part, incoming / f"batch_{index:03d}.csv")
            while True:
                run = ws.store.runs.latest("bench")
                if run is not None and run.finished_at and run.source.endswith(f"{index:03d}.csv"):
                    break
                time.sleep(0.005)
            if index == 0:
                continue  # trains the first model
            latencies.append(run.finished_at.timestamp() - appeared)
            run_seconds.append((run.finished_at - run.started_at).total_seconds())
            decisions[run.decision] += 1
    finally:
        daemon.stop(ws, "bench")
    return latencies, run_seconds, decisions


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    print(f"{FILES} files of {ROWS:,} rows, one at a time, renamed into the watched folder\n")
    print(
        f"{'observer':10} {'median s':>9} {'p95 s':>7} {'max s':>7} {'run median s':>13}  decisions"
    )
    results = {}
    for polling in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            latencies, runs, decisions = _measure(Path(folder), polling)
        name = "polling" if polling else "OS events"
        results[name] = statistics.median(latencies)
        print(
            f"{name:10} {statistics.median(latencies):9.3f} {_p95(latencies):7.3f} "
            f"{max(latencies):7.3f} {statistics.median(runs):13.3f}  {dict(decisions)}"
        )
    median = results["OS events"]
    verdict = "meets" if median <= TARGET_SECONDS else "MISSES"
    print(f"\nwatch-mode median {median:.3f} s {verdict} the {TARGET_SECONDS:g} s target")


if __name__ == "__main__":
    main()
