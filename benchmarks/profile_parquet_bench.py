"""Profile of a partitioned Parquet dataset: whole table vs slice by slice vs Ray Data.

Issue 20 asks for 20 million rows x 20 columns; on this shared 2-core machine the default
is 5 million x 20 (``--rows`` sets it). The dataset is written as 10 Parquet partitions of
float columns (16 numeric, 4 categorical). Three ways, each in a fresh process, with its
time and peak memory (``ru_maxrss`` of the process; for Ray, also the largest peak of any
Ray worker process, read from ``/proc/<pid>/status`` VmHWM before the cluster stops):

- ``whole``: ``pd.read_parquet`` then ``Profile.fit`` (everything in memory);
- ``slices``: :func:`calmops.drift.partitioned.fit_parquet` (one slice of ``--batch-rows``);
- ``ray``: :func:`calmops.executor.ray_data.fit_parquet_ray` on a two-node local cluster
  (one CPU each).

Run: ``.venv/bin/python benchmarks/profile_parquet_bench.py [--rows 5000000]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

PARTS = 10


def write(folder: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    per = rows // PARTS
    for part in range(PARTS):
        frame = pd.DataFrame({f"x{i}": rng.normal(i, 1 + part / 10, per) for i in range(16)})
        for i in range(4):
            frame[f"c{i}"] = rng.choice(["a", "b", "c", "d", "e"], per)
        frame.to_parquet(folder / f"part-{part:02d}.parquet", index=False)


def child(way: str, folder: str, batch_rows: int) -> None:
    from calmops.drift.partitioned import fit_parquet
    from calmops.drift.profile import Profile

    began = time.perf_counter()
    extra = {}
    if way == "whole":
        profile = Profile.fit(pd.read_parquet(folder))
    elif way == "slices":
        profile = fit_parquet(folder, batch_rows=batch_rows)
    else:
        import ray
        from ray.cluster_utils import Cluster

        from calmops.executor.ray_data import fit_parquet_ray

        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        ray.init(address=cluster.address, log_to_driver=False)
        began = time.perf_counter()
        profile = fit_parquet_ray(folder, batch_rows=batch_rows)
        extra["worker_peak_mb"] = max(_ray_worker_peaks(), default=0) / 1024
        ray.shutdown()
        cluster.shutdown()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"way": way, "rows": profile.n_rows, "seconds": seconds, "peak_mb": peak} | extra
        )
    )


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--batch-rows", type=int, default=500_000)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.batch_rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp), args.rows)
        for way in ("whole", "slices", "ray"):
            command = [
                sys.executable,
                __file__,
                "--batch-rows",
                str(args.batch_rows),
                "--child",
                way,
                tmp,
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            print(out.strip().splitlines()[-1], flush=True)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
