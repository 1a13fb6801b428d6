"""Calibration, power and accuracy of drift tests against a profiled reference (issue 13).

Same distribution, 20k reference rows vs 20k current rows, many seeds, several columns:
the per-column false-alarm rate of KS at alpha 0.05 (target [0.03, 0.07]), KS power at a
0.05 sd shift, and normed Wasserstein at a 0.1 sd shift, for

- ``ranks``: the old profile sample (cap 10,000 drawn at seeded *ranks* of the sorted
  values, the same ranks for every data set), re-created here for comparison;
- ``rows``: a capped sample drawn by row position (cap 10,000, what a profile does above
  its cap);
- ``exact``: the profile at the default cap (100,000: every value is kept);
- ``full``: scipy on the full data.

Also the profile's size on disk and the time to fit and to compare at the default cap.

Run: ``python benchmarks/profile_calibration_bench.py [--seeds 200]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from calmops.drift import Profile, compare
from calmops.drift.wasserstein import cdf_distance

N = 20_000
OLD_CAP = 10_000
COLUMNS = [f"x{i}" for i in range(8)]


def _ranks_sample(xs: np.ndarray, name: str) -> np.ndarray:
    rng = np.random.default_rng([0, zlib.crc32(name.encode())])
    return xs[np.sort(rng.choice(xs.size, size=OLD_CAP, replace=False))]


def _reference(mode: str, values: np.ndarray, name: str, seed: int) -> np.ndarray:
    if mode == "ranks":
        return _ranks_sample(np.sort(values), name)
    if mode == "rows":
        rng = np.random.default_rng([0, zlib.crc32(name.encode())])
        return np.sort(values[rng.choice(values.size, OLD_CAP, replace=False)])
    if mode == "exact":
        frame = pd.DataFrame({name: values})
        return Profile.fit(frame).columns[name].side.sample
    return values


def calibration(seeds: int, shift: float = 0.0) -> dict[str, list[float]]:
    """Per-column KS rejection rates at alpha 0.05 for each mode."""
    modes = ("ranks", "rows", "exact", "full")
    hits = {m: np.zeros(len(COLUMNS)) for m in modes}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        for j, name in enumerate(COLUMNS):
            ref, cur = rng.normal(size=N), rng.normal(shift, size=N)
            for mode in modes:
                sample = _reference(mode, ref, name, seed)
                hits[mode][j] += stats.ks_2samp(sample, cur).pvalue < 0.05
    return {m: (h / seeds).tolist() for m, h in hits.items()}


def wasserstein(seeds: int) -> dict[str, float]:
    """Mean normed Wasserstein at a true 0.1 sd shift."""
    out = {m: [] for m in ("ranks", "rows", "exact")}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        ref, cur = rng.normal(size=N), np.sort(rng.normal(0.1, size=N))
        for mode in out:
            sample = _reference(mode, ref, "x0", seed)
            out[mode].append(cdf_distance(np.sort(sample), cur, p=1) / ref.std())
    return {m: float(np.mean(v)) for m, v in out.items()}


def footprint() -> dict[str, float]:
    """Size on disk and speed of a profile of 20 numeric columns at the default cap."""
    rng = np.random.default_rng(0)
    out: dict[str, float] = {}
    for rows in (100_000, 1_000_000):
        frame = pd.DataFrame(rng.normal(size=(rows, 20)), columns=[f"c{i}" for i in range(20)])
        batch = pd.DataFrame(rng.normal(size=(10_000, 20)), columns=frame.columns)
        start = time.perf_counter()
        profile = Profile.fit(frame)
        out[f"fit_s_{rows}"] = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            profile.save(tmp)
            out[f"disk_mb_{rows}"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
            start = time.perf_counter()
            profile = Profile.load(tmp)
            out[f"load_s_{rows}"] = time.perf_counter() - start
        for test in ("ks", "wasserstein", "anderson", "cvm", "mann_whitney"):
            start = time.perf_counter()
            compare(profile, batch, numeric_test=test)
            out[f"compare_{test}_s_{rows}"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    null = calibration(args.seeds)
    print(f"KS false-alarm rate per column, alpha 0.05, {args.seeds} seeds, 20k vs 20k")
    for mode, rates in null.items():
        print(f"  {mode:6s} min {min(rates):.3f} max {max(rates):.3f}  {np.round(rates, 3)}")
    power = calibration(args.seeds, shift=0.05)
    print("KS power at a 0.05 sd shift (mean over columns)")
    for mode, rates in power.items():
        print(f"  {mode:6s} {np.mean(rates):.3f}")
    print("normed Wasserstein at a true 0.1 sd shift (mean)")
    for mode, value in wasserstein(args.seeds).items():
        print(f"  {mode:6s} {value:.4f}")
    print("profile of 20 numeric columns at the default cap")
    for key, value in footprint().items():
        print(f"  {key:28s} {value:.3f}")


if __name__ == "__main__":
    main()
