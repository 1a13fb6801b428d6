"""Streaming detectors with their defaults, ours beside river's (issue 13).

For each detector, with its default parameters:

- **false alarms per 100,000 stationary values**: N(0, 1) for the mean detectors, a 10%
  Bernoulli error stream for the error-rate detectors (a detector restarts after each alarm);
- **median detection delay** (values after the change until the alarm) over ``--runs``
  runs, and how many runs missed the change within ``--horizon`` values: a mean shift of
  0.5 and 1 standard deviation after 1,000 N(0, 1) values, and an error rate rising from
  0.1 to 0.3 after 1,000 values. A run with an alarm before the change counts its delay
  from the change all the same (the detector keeps going).

river's detectors run with river's defaults on the same streams; the ratio columns are
ours / river's (false alarms: lower is quieter; delay: higher is slower).

Run: ``python benchmarks/detectors_bench.py [--runs 20] [--stationary 100000] [--only cusum,ddm]``
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
from river import drift as rdrift
from river.drift import binary as rbinary

from calmops.drift.streaming import make_detector

PRE = 1_000

#: (our name, river factory or None, kind) -- kind: "mean" or "error"
DETECTORS: list[tuple[str, Callable[[], object] | None, str]] = [
    ("adwin", rdrift.ADWIN, "mean"),
    ("kswin", lambda: rdrift.KSWIN(seed=0), "mean"),
    ("page_hinkley", rdrift.PageHinkley, "mean"),
    ("cusum", None, "mean"),
    ("ewma", None, "mean"),
    ("adwin", rdrift.ADWIN, "error"),
    ("ddm", rbinary.DDM, "error"),
    ("eddm", rbinary.EDDM, "error"),
    ("hddm_a", rbinary.HDDMA, "error"),
    ("hddm_w", rbinary.HDDMW, "error"),
]


def _alarms(detector, values: np.ndarray) -> list[int]:
    found = []
    for i, x in enumerate(values.tolist()):
        detector.update(x)
        if detector.drift_detected:
            found.append(i)
    return found


def _stationary(kind: str, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 1])
    if kind == "mean":
        return rng.normal(size=n)
    return (rng.random(n) < 0.1).astype(float)


def _changed(kind: str, size: float, horizon: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 2])
    if kind == "mean":
        return np.concatenate([rng.normal(size=PRE), rng.normal(size, size=horizon)])
    return np.concatenate([rng.random(PRE) < 0.1, rng.random(horizon) < 0.3]).astype(float)


def _delays(factory, kind: str, size: float, runs: int, horizon: int) -> tuple[float, int]:
    delays, missed = [], 0
    for seed in range(runs):
        after = [
            a - PRE for a in _alarms(factory(), _changed(kind, size, horizon, seed)) if a >= PRE
        ]
        if after:
            delays.append(after[0] + 1)
        else:
            missed += 1
    return (float(np.median(delays)) if delays else float("nan")), missed


def measure(name: str, factory, kind: str, runs: int, stationary: int, horizon: int) -> dict:
    start = time.perf_counter()
    alarms = len(_alarms(factory(), _stationary(kind, stationary, 0))) * 100_000 / stationary
    shifts = (0.5, 1.0) if kind == "mean" else (0.3,)
    delays = {s: _delays(factory, kind, s, runs, horizon) for s in shifts}
    return {"alarms": alarms, "delays": delays, "seconds": time.perf_counter() - start}


def _fmt(value: float) -> str:
    return "—" if value != value else f"{value:g}"


def _ratio(ours: float, theirs: float) -> str:
    if ours != ours or theirs != theirs:
        return "—"
    if theirs == 0:
        return "—" if ours == 0 else "inf"
    return f"{ours / theirs:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--stationary", type=int, default=100_000)
    parser.add_argument("--horizon", type=int, default=2_000)
    parser.add_argument("--only", default="", help="comma-separated detector names")
    args = parser.parse_args()
    only = {n for n in args.only.split(",") if n}
    machine = platform.processor() or platform.machine()
    print(
        f"# detectors_bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, "
        f"Python {platform.python_version()}; runs {args.runs}, stationary {args.stationary:,}, "
        f"horizon {args.horizon:,}"
    )
    print(
        "| detector | stream | change | ours: alarms/100k | river: alarms/100k | ratio | "
        "ours: median delay (missed) | river: median delay (missed) | ratio |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for name, river_factory, kind in DETECTORS:
        if only and name not in only:
            continue
        ours = measure(
            name, lambda n=name: make_detector(n), kind, args.runs, args.stationary, args.horizon
        )
        theirs = (
            measure(name, river_factory, kind, args.runs, args.stationary, args.horizon)
            if river_factory is not None
            else None
        )
        for size, (delay, missed) in ours["delays"].items():
            change = f"{size:g} sd" if kind == "mean" else "0.1 -> 0.3"
            r_alarms = theirs["alarms"] if theirs else float("nan")
            r_delay, r_missed = theirs["delays"][size] if theirs else (float("nan"), 0)
            river_cell = f"{_fmt(r_delay)} ({r_missed})" if theirs else "—"
            print(
                f"| {name} | {kind} | {change} | {_fmt(ours['alarms'])} | {_fmt(r_alarms)} | "
                f"{_ratio(ours['alarms'], r_alarms)} | {_fmt(delay)} ({missed}) | "
                f"{river_cell} | {_ratio(delay, r_delay)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
