"""Scale-out: 40 pipelines x 5 batches, one local monitor process vs Ray with two workers.

Issue 20. Every pipeline watches its own folder, where its 5 batches (SEA, ``ROWS`` rows,
the first trains) are placed before the monitors start. Throughput is runs per second over
the span from the first run's start to the last run's end, as the store recorded them:

- **local, one process**: ``calmops run --all`` (one MonitorService for all 40 pipelines);
- **Ray, two workers**: ``RayExecutor(workers=2)`` on a two-node local Ray cluster (one CPU
  each, ``ray.cluster_utils.Cluster``): two actors sharing the 40 pipelines.

Target: Ray >= 1.6x the local throughput. Ray's overhead is reported as the time to place
the actors (connect, start, take every lease) and the mean run time under each executor.
Then a paper estimate for 1,000 pipelines x 1 batch/minute from the measured per-run costs:
store transactions per run (counted in-process on the store's engine), artifact bytes per
run (the workspace's growth) and the workers needed.

Run: ``.venv/bin/python benchmarks/scale_bench.py [--pipelines 40] [--batches 5]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from calmops.data_generators import generate_stream
from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace

ROWS = 3_000
TREE = {
    "class": "sklearn.tree.DecisionTreeClassifier",
    "params": {"max_depth": 8, "random_state": 0},
}


def build(root: Path, pipelines: int, batches: int) -> Workspace:
    ws = Workspace(Settings(home=root / "home"))
    frame = generate_stream("sea", ROWS * batches, seed=3).data
    for index in range(pipelines):
        name = f"p{index:03d}"
        folder = root / "in" / name
        folder.mkdir(parents=True)
        spec = {
            "name": name,
            "data": {"dir": str(folder), "target": "target"},
            "trigger": {"type": "watch", "settle_ms": 100},
            "model": TREE,
        }
        ws.create(PipelineSpec.from_dict(spec))
        for batch in range(batches):
            part = frame.iloc[batch * ROWS : (batch + 1) * ROWS]
            part.to_csv(folder / f"b{batch}.csv", index=False)
            os.utime(folder / f"b{batch}.csv", (1e9 + batch, 1e9 + batch))
    return ws


def finished_runs(ws: Workspace) -> list:
    runs = []
    for record in ws.list():
        runs += [r for r in ws.store.runs.list(record.name, limit=100) if r.finished_at]
    return runs


def wait_all(ws: Workspace, total: int, timeout: float = 1800) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = finished_runs(ws)
        if len(runs) >= total:
            return runs
        time.sleep(1.0)
    raise TimeoutError(f"only {len(finished_runs(ws))} of {total} runs finished")


def figures(runs: list) -> dict:
    start = min(r.started_at for r in runs)
    end = max(r.finished_at for r in runs)
    span = (end - start).total_seconds()
    durations = [(r.finished_at - r.started_at).total_seconds() for r in runs]
    return {
        "runs": len(runs),
        "span_s": span,
        "runs_per_s": len(runs) / span,
        "mean_run_s": statistics.mean(durations),
        "failed": sum(r.status != "succeeded" for r in runs),
    }


def local_one_process(root: Path, pipelines: int, batches: int) -> dict:
    ws = build(root, pipelines, batches)
    command = [sys.executable, "-m", "calmops", "--home", str(ws.home), "run", "--all"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        runs = wait_all(ws, pipelines * batches)
    finally:
        process.terminate()
        process.wait(120)
    return figures(runs) | {"bytes_per_run": workspace_bytes(ws) / len(runs)}


def ray_two_workers(root: Path, pipelines: int, batches: int) -> dict:
    import ray
    from ray.cluster_utils import Cluster

    from calmops.executor import RayExecutor

    ws = build(root, pipelines, batches)
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    executor = RayExecutor(address=cluster.address, workers=2, wait=600)
    try:
        began = time.monotonic()
        placed = executor.start(ws, [r.name for r in ws.list()])
        placing = time.monotonic() - began
        assert all(p.status == "started" for p in placed), placed
        runs = wait_all(ws, pipelines * batches)
        executor.stop(ws, [r.name for r in ws.list()])
    finally:
        ray.shutdown()
        cluster.shutdown()
    return figures(runs) | {"placing_s": placing}


def sequential_costs(root: Path, batches: int) -> tuple[float, float]:
    """One pipeline's batches run one after the other in this process: store transactions
    per run (counted on the engine) and the mean run time alone on a core."""
    import sqlalchemy as sa

    from calmops.pipeline.runner import Runner

    ws = build(root, 1, batches)
    count = {"n": 0}
    sa.event.listen(ws.store.engine, "commit", lambda _conn: count.__setitem__("n", count["n"] + 1))
    with Runner(ws, "p000") as runner:
        results = runner.run_pending()
    runs = finished_runs(ws)
    alone = statistics.mean((r.finished_at - r.started_at).total_seconds() for r in runs)
    return count["n"] / len(results), alone


def workspace_bytes(ws: Workspace) -> int:
    return sum(p.stat().st_size for p in (ws.home / "pipelines").rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipelines", type=int, default=40)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        local = local_one_process(root / "local", args.pipelines, args.batches)
        print("local, one process:", local, flush=True)
        on_ray = ray_two_workers(root / "ray", args.pipelines, args.batches)
        print("ray, two workers:", on_ray, flush=True)
        writes, alone = sequential_costs(root / "tx", args.batches)
    speedup = on_ray["runs_per_s"] / local["runs_per_s"]
    print(f"speed-up {speedup:.2f}x (target 1.6x)")
    print(
        f"Ray: {on_ray['placing_s']:.1f} s to place the actors; "
        f"mean run {on_ray['mean_run_s']:.2f} s "
        f"vs {local['mean_run_s']:.2f} s in the one local process"
    )
    per_second = 1000 / 60
    print(
        f"1,000 pipelines x 1 batch/min = {per_second:.1f} runs/s: "
        f"{per_second * writes:.0f} store transactions/s (+ {1000 / 10:.0f} lease renewals/s "
        f"at the default 30 s lease), {per_second * 86400 * local['bytes_per_run'] / 1e9:.1f} "
        f"GB of artifacts/day, {per_second * alone:.1f} busy cores "
        f"(mean run {alone:.2f} s alone on one core)"
    )
    print(f"transactions per run {writes:.1f}; artifact bytes per run {local['bytes_per_run']:.0f}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
