"""Profile of a partitioned Parquet dataset: whole table vs slice by slice vs Ray Data.

Issue 20 asks for 20 million rows x 20 columns (the default; ``--rows`` sets it). The
dataset is written once under ``--data`` (default ``/tmp/calmops-parquet-<rows>``) and
reused: Parquet files of 1,000,000 rows, 16 float columns and 4 string categories. Each way
runs in a fresh process, with its time and peak memory (``ru_maxrss`` of the process; for
Ray, also the largest peak of any Ray worker process, read from ``/proc/<pid>/status``
VmHWM before the cluster stops):

- ``whole``: ``pd.read_parquet`` then ``Profile.fit`` (everything in memory; skipped, and
  said so, when the machine's available memory is under three times the raw table);
- ``slices``: :func:`calmops.drift.partitioned.fit_parquet` (one slice of ``--batch-rows``);
- ``compare``: :func:`calmops.drift.partitioned.compare_parquet` of the dataset against the
  profile of its first file (fitted in the same process, not timed);
- ``ray``: :func:`calmops.executor.ray_data.fit_parquet_ray` on a two-node local cluster
  (one CPU each) started inside the process, on a free port (6379 is Redis's here).

``--rows-list 5000000,10000000`` runs ``slices`` alone at several sizes (peak vs size).

Run: ``.venv/bin/python benchmarks/profile_parquet_bench.py [--rows 20000000]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

FILE_ROWS = 1_000_000
WAYS = ("whole", "slices", "compare", "ray")


def write(folder: Path, rows: int) -> Path:
    """The dataset, written once (a ``_written`` file, which readers skip, marks it complete)."""
    if (folder / "_written").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for part in range(max(rows // FILE_ROWS, 1)):
        per = min(rows, FILE_ROWS)
        frame = pd.DataFrame({f"x{i}": rng.normal(i, 1 + part / 40, per) for i in range(16)})
        for i in range(4):
            frame[f"c{i}"] = rng.choice(["a", "b", "c", "d", "e"], per)
        frame.to_parquet(folder / f"part-{part:03d}.parquet", index=False)
    (folder / "_written").write_text(str(rows))
    return folder


def child(way: str, folder: str, batch_rows: int) -> dict:
    from calmops.drift.partitioned import compare_parquet, fit_parquet
    from calmops.drift.profile import Profile

    extra: dict = {}
    began = time.perf_counter()
    if way == "whole":
        rows = Profile.fit(pd.read_parquet(folder)).n_rows
    elif way == "slices":
        rows = fit_parquet(folder, batch_rows=batch_rows).n_rows
    elif way == "compare":
        reference = fit_parquet(sorted(Path(folder).glob("*.parquet"))[0])
        began = time.perf_counter()
        report = compare_parquet(reference, folder, batch_rows=batch_rows)
        rows, extra["drifted"] = report.n_current, len(report.drifted)
    else:
        rows, extra = _on_ray(folder, batch_rows)
        began = time.perf_counter() - extra.pop("seconds")
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"way": way, "rows": rows, "seconds": round(seconds, 1), "peak_mb": round(peak)} | extra


def _on_ray(folder: str, batch_rows: int) -> tuple[int, dict]:
    import ray
    from ray.cluster_utils import Cluster

    from calmops.executor.ray_data import fit_parquet_ray

    head = {"num_cpus": 1, "gcs_server_port": _free_port(), "include_dashboard": False}
    cluster = Cluster(initialize_head=True, head_node_args=head)
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        began = time.perf_counter()
        rows = fit_parquet_ray(folder, batch_rows=batch_rows).n_rows
        seconds = time.perf_counter() - began
        worker = max(_ray_worker_peaks(), default=0) / 1024
    finally:
        ray.shutdown()
        cluster.shutdown()
    return rows, {"seconds": seconds, "worker_peak_mb": round(worker)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ray_worker_peaks() -> list[int]:
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if b"ray::" in cmdline or b"default_worker.py" in cmdline:
            peaks += [
                int(line.split()[1]) for line in text.splitlines() if line.startswith("VmHWM:")
            ]
    return peaks


def _available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def run(way: str, folder: Path, batch_rows: int) -> None:
    command = [sys.executable, __file__, "--batch-rows", str(batch_rows), "--child", way]
    out = subprocess.run([*command, str(folder)], capture_output=True, text=True, check=True)
    print(out.stdout.strip().splitlines()[-1], f"load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--rows-list", help="comma-separated sizes: slices alone at each")
    parser.add_argument("--batch-rows", type=int, default=500_000)
    parser.add_argument("--ways", default=",".join(WAYS))
    parser.add_argument("--data", type=Path, help="dataset folder (default under /tmp)")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.batch_rows)))
        return
    print(f"load average at the start {os.getloadavg()}")
    for rows in [int(r) for r in args.rows_list.split(",")] if args.rows_list else [args.rows]:
        folder = write(args.data or Path(f"/tmp/calmops-parquet-{rows}"), rows)
        ways = ["slices"] if args.rows_list else args.ways.split(",")
        for way in ways:
            raw_mb = rows * 20 * 8 / 2**20
            if way == "whole" and _available_mb() < 3 * raw_mb:
                print(f"whole: skipped, {_available_mb():.0f} MB available < 3 x {raw_mb:.0f} MB")
                continue
            run(way, folder, args.batch_rows)
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
