"""Large CSV files: ``calmops drift`` and ``calmops run --once`` against plain pandas.

Workload (issue 14): CSV files of 1.5M x 10 and 10M x 10 (7 numeric columns, 2 text columns
of 4 and 50 categories, a binary ``label``), cached under ``/tmp/calmops-large-csv``. For each
size we time, each in a fresh process with its peak memory (``ru_maxrss`` of the child):

- ``calmops drift ref.csv cur.csv --target label`` (``cur`` has two shifted columns, no label)
  against the peer ``pandas.read_csv`` of both files;
- ``calmops run --once`` of a pipeline whose champion exists (trained on a 50,000-row labelled
  file first, not timed) on ``cur.csv`` (no labels: scored and drift-checked, no retraining)
  against the peer ``pandas.read_csv`` of that file.

Targets for 1.5M rows: drift <= 5 s and <= 600 MB; run without retraining <= 10 s.

Run: ``python benchmarks/large_csv_bench.py`` (``--sizes 1500000``; about 2 min for 1.5M,
10+ min with 10M). Prints a Markdown table for ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path("/tmp/calmops-large-csv")
BIN = Path(sys.executable).parent
TRAIN_ROWS = 50_000
CHUNK = 500_000  # rows generated and written at a time

# runs ``argv`` and prints its peak memory (kB) as the last line of stderr
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(code, peak, file=sys.stderr)\n"
)


def write_csv(path: Path, rows: int, *, shifted: bool, labelled: bool, seed: int) -> Path:
    """``rows`` rows of the workload, written in chunks (once; reused from the cache)."""
    if path.exists():
        return path
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    colours = np.array(["red", "green", "blue", "grey"])
    towns = np.array([f"town_{i:02d}" for i in range(50)])
    tmp = path.with_suffix(".part")
    with tmp.open("w") as handle:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            frame = pd.DataFrame({f"x{i}": rng.normal(0, 1, n).round(4) for i in range(7)})
            if shifted:
                frame["x0"] += 0.3
                frame["x1"] *= 1.4
            frame["colour"] = colours[rng.integers(0, 4, n)]
            frame["town"] = towns[rng.integers(0, 50, n)]
            if labelled:
                score = frame["x0"] - frame["x2"] + (frame["colour"] == "red") * 0.8
                frame["label"] = (score + rng.normal(0, 0.5, n) > 0).astype(int)
            frame.to_csv(handle, index=False, header=start == 0)
    tmp.rename(path)
    return path


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak MB and exit code of ``argv`` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv], stderr=subprocess.PIPE, text=True, check=False
    )
    seconds = time.perf_counter() - started
    code, peak_kb = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(peak_kb) / 1024, int(code)


def pandas_peer(*paths: Path) -> list[str]:
    script = "import sys, pandas as pd\nfor p in sys.argv[1:]: pd.read_csv(p)\n"
    return [sys.executable, "-c", script, *map(str, paths)]


def prepare_pipeline(rows: int, train: Path, batch: Path) -> tuple[Path, Path]:
    """A workspace with pipeline ``big`` whose champion exists; ``batch`` not yet dropped."""
    home = CACHE / f"home-{rows}"
    shutil.rmtree(home, ignore_errors=True)
    incoming = home / "incoming"
    incoming.mkdir(parents=True)
    spec = home / "big.yaml"
    spec.write_text(
        f"name: big\ndata:\n  dir: {incoming}\n  target: label\ntrigger:\n  type: manual\n"
    )
    calmops = str(BIN / "calmops")
    subprocess.run([calmops, "--home", str(home), "create", "-f", str(spec)], check=True)
    shutil.copy(train, incoming / "train.csv")
    subprocess.run(
        [calmops, "run", "big", "--once", "--home", str(home)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return home, incoming


def bench(rows: int) -> list[dict]:
    CACHE.mkdir(exist_ok=True)
    ref = write_csv(CACHE / f"ref-{rows}.csv", rows, shifted=False, labelled=True, seed=1)
    cur = write_csv(CACHE / f"cur-{rows}.csv", rows, shifted=True, labelled=False, seed=2)
    train = write_csv(CACHE / "train.csv", TRAIN_ROWS, shifted=False, labelled=True, seed=3)
    calmops = str(BIN / "calmops")
    results = []
    drift = measure([calmops, "drift", str(ref), str(cur), "--target", "label", "--json"])
    peer = measure(pandas_peer(ref, cur))
    results.append({"rows": rows, "what": "drift", "ours": drift, "pandas": peer})
    home, incoming = prepare_pipeline(rows, train, cur)
    os.link(cur, incoming / "batch.csv")
    run = measure([calmops, "run", "big", "--once", "--home", str(home)])
    peer = measure(pandas_peer(cur))
    results.append({"rows": rows, "what": "run --once", "ours": run, "pandas": peer})
    last = subprocess.run(
        [calmops, "runs", "big", "--json", "--home", str(home)],
        capture_output=True,
        text=True,
        check=False,
    )
    results[-1]["runs"] = last.stdout[:2000]
    return results


def table(results: list[dict]) -> str:
    lines = [
        "| rows | command | ours s | ours peak MB | pandas read_csv s | peak MB | time ratio |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        (s, mb, code), (ps, pmb, _) = r["ours"], r["pandas"]
        flag = "" if code == 0 else f" (exit {code})"
        lines.append(
            f"| {r['rows']:,} | {r['what']}{flag} | {s:.1f} | {mb:.0f} | {ps:.1f} | {pmb:.0f} "
            f"| {s / ps:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1500000,10000000", help="rows per file, comma-sep")
    parser.add_argument("--show-runs", action="store_true", help="print the runs' JSON")
    args = parser.parse_args()
    results = []
    for rows in (int(s) for s in args.sizes.split(",")):
        found = bench(rows)
        results.extend(found)
        print(table(found), flush=True)
        if args.show_runs:
            print(json.dumps(found[-1].get("runs"))[:2000])
    print()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(table(results))


if __name__ == "__main__":
    main()
