"""How fast the CLI starts: `calmops --help`, `calmops --version` and the entry point import.

Target (issue 2): importing the CLI entry point takes under 0.3 s. Each figure is the median
of several fresh processes; the bare interpreter start is measured alongside as a baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
TARGET_SECONDS = 0.3


def _median_seconds(args: list[str]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    python = sys.executable
    rows = {
        "python -c pass (baseline)": _median_seconds([python, "-c", "pass"]),
        "import calmops.cli.main": _median_seconds([python, "-c", "import calmops.cli.main"]),
        "calmops --version": _median_seconds([python, "-m", "calmops", "--version"]),
        "calmops --help": _median_seconds([python, "-m", "calmops", "--help"]),
    }
    baseline = rows["python -c pass (baseline)"]
    print(f"{'what':32} {'median s':>9} {'over baseline s':>16}")
    for name, seconds in rows.items():
        print(f"{name:32} {seconds:9.3f} {seconds - baseline:16.3f}")
    entry = rows["import calmops.cli.main"]
    verdict = "meets" if entry < TARGET_SECONDS else "MISSES"
    print(
        f"\nentry-point import {entry:.3f} s {verdict} the {TARGET_SECONDS} s target "
        f"({entry / TARGET_SECONDS:.2f} of it)"
    )


if __name__ == "__main__":
    main()
