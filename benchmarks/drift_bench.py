"""Drift engine benchmark: our full report vs Evidently 0.7's DataDriftPreset.

Workload (issue 3): reference and current frames of 200,000 rows x (40 numeric + 10
categorical) columns with drift injected in a known subset. We time ``Profile.fit`` and
``compare`` from the fitted profile (default tests, Holm, data quality: the headline) in a
fresh process, with its peak memory; Evidently 0.7.23 runs ``DataDriftPreset`` on the same
parquet files in its own virtual environment (``benchmarks/.venv-evidently``, created here
with ``pandas<3``). Then 1,000,000 rows x 100 columns, ours only.

Run: ``python benchmarks/drift_bench.py`` (``--no-evidently``, ``--no-large``, ``--no-record``).
Results go to the "Drift engine (issue 3)" section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Drift engine (issue 3)"
EVIDENTLY_VENV = HERE / ".venv-evidently"
EVIDENTLY_PINS = ["evidently==0.7.23", "pandas<3", "pyarrow"]

# columns with injected drift, and what each should show
SHIFTED = [f"num_{i}" for i in range(4)]  # mean +0.5 sd: both flag
SCALED = [f"num_{i}" for i in range(4, 6)]  # sd x1.5: both flag
NUDGED = ["num_6"]  # mean +0.05 sd: too small for a 0.1 threshold; nobody flags
SUBTLE = ["cat_0", "cat_1"]  # 50/30/20 -> 40/35/25: JS 0.072 < 0.1
MOVED = ["cat_2"]  # 50/30/20 -> 20/30/50: both flag


def build_frames(n: int, n_numeric: int, n_categorical: int, seed: int = 0):
    """Reference and current frames with drift in the columns named above."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    labels = np.array(["red", "green", "blue"])

    def numeric(i: int, current: bool):
        x = rng.normal(0, 1, n) if i % 2 == 0 else rng.gamma(2.0, 1.5, n)
        if current and f"num_{i}" in SHIFTED:
            x = x + 0.5 * (1.0 if i % 2 == 0 else np.sqrt(2.0) * 1.5)
        if current and f"num_{i}" in SCALED:
            x = x.mean() + (x - x.mean()) * 1.5
        if current and f"num_{i}" in NUDGED:
            x = x + 0.05
        return x

    def categorical(j: int, current: bool):
        p = [0.5, 0.3, 0.2]
        if current and f"cat_{j}" in SUBTLE:
            p = [0.4, 0.35, 0.25]
        if current and f"cat_{j}" in MOVED:
            p = [0.2, 0.3, 0.5]
        return pd.Series(labels[rng.choice(3, n, p=p)], dtype="str")

    frames = []
    for current in (False, True):
        data = {f"num_{i}": numeric(i, current) for i in range(n_numeric)}
        data |= {f"cat_{j}": categorical(j, current) for j in range(n_categorical)}
        frames.append(pd.DataFrame(data))
    return frames


# --------------------------------------------------------------------------- workers
def worker_ours(ref_path: str, cur_path: str, repeats: int) -> dict:
    """In a fresh process: read, fit, compare; time and memory."""
    import resource
    import tracemalloc

    import pandas as pd

    from calmops.drift import Profile, compare

    ref, cur = pd.read_parquet(ref_path), pd.read_parquet(cur_path)
    t0 = time.perf_counter()
    profile = Profile.fit(ref)
    fit_s = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        report = compare(profile, cur)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    compare(profile, cur)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    forced = compare(profile, cur, columns=SUBTLE, categorical_test="chi2")
    return {
        "chi2_p": {n: f.p_value for n, f in forced.features.items()},
        "fit_s": fit_s,
        "compare_s": sorted(times)[len(times) // 2],
        "compare_all_s": times,
        "compare_extra_mb": peak / 2**20,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "flagged": report.drifted,
        "warnings": [n for n, f in report.features.items() if f.verdict.value == "warning"],
        "dataset_drift": report.drift_detected,
        "effects": {
            n: {k: round(v, 4) for k, v in f.effect_sizes.items()}
            for n, f in report.features.items()
            if n in SUBTLE + MOVED
        },
    }


def worker_large(n: int, n_numeric: int, n_categorical: int) -> dict:
    import resource

    from calmops.drift import Profile, compare

    t0 = time.perf_counter()
    ref, cur = build_frames(n, n_numeric, n_categorical, seed=1)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    profile = Profile.fit(ref)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = compare(profile, cur)
    compare_s = time.perf_counter() - t0
    return {
        "build_s": build_s,
        "fit_s": fit_s,
        "compare_s": compare_s,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "flagged": report.drifted,
    }


EVIDENTLY_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    import pandas as pd
    import evidently
    from evidently import Report
    from evidently.presets import DataDriftPreset

    ref, cur = pd.read_parquet(sys.argv[1]), pd.read_parquet(sys.argv[2])
    t0 = time.perf_counter()
    snapshot = Report([DataDriftPreset()]).run(cur, ref)
    run_s = time.perf_counter() - t0
    flagged, methods = [], {}
    for metric in snapshot.dict()["metrics"]:
        config = metric["config"]
        if not config["type"].endswith("ValueDrift"):
            continue
        value, threshold, method = metric["value"], config["threshold"], config["method"]
        methods[config["column"]] = method
        drift = value < threshold if "p_value" in method else value >= threshold
        if drift:
            flagged.append(config["column"])
    print(json.dumps({
        "version": evidently.__version__,
        "run_s": run_s,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "flagged": flagged,
        "methods": sorted(set(methods.values())),
    }))
    """
)


# --------------------------------------------------------------------------- evidently
def ensure_evidently() -> tuple[Path | None, str]:
    """The venv's python, installing Evidently into it if needed; or None and why not."""
    python = EVIDENTLY_VENV / "bin" / "python"
    check = [str(python), "-c", "import evidently, pandas; print(evidently.__version__)"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, "already installed"
    base = os.environ.get("PYTHON311") or "python3.11"
    steps = [
        [base, "-m", "venv", str(EVIDENTLY_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", *EVIDENTLY_PINS],
    ]
    for step in steps:
        print("$", " ".join(step), flush=True)
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return None, "install failed: " + " | ".join(tail)
    return python, "installed"


def run_json(command: list[str], timeout: int = 1800) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report
def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split()
        memory = f"{free[free.index('Mem:') + 1]} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "unknown RAM"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}, "
        f"load average {load} at the start (the machine is shared)"
    )


def record(text: str) -> None:
    body = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(body):
        body = pattern.sub(lambda _: text.rstrip() + "\n\n", body)
    else:
        body = body.rstrip() + "\n\n" + text.rstrip() + "\n"
    RESULTS.write_text(body.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-evidently", action="store_true")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{date} — {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        ref, cur = build_frames(args.rows, 40, 10)
        ref_path, cur_path = f"{tmp}/reference.parquet", f"{tmp}/current.parquet"
        ref.to_parquet(ref_path)
        cur.to_parquet(cur_path)
        del ref, cur
        me = [sys.executable, __file__]
        ours = run_json([*me, "--worker", "ours", ref_path, cur_path, str(args.repeats)])
        print(f"ours: fit {ours['fit_s']:.2f} s, compare {ours['compare_s']:.2f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in ours['compare_all_s'])}), "
              f"max RSS {ours['maxrss_mb']:.0f} MB, flagged {ours['flagged']}")  # fmt: skip
        evidently: dict | None = None
        note = "skipped (--no-evidently)"
        if not args.no_evidently:
            python, note = ensure_evidently()
            if python is not None:
                script = Path(tmp) / "evidently_run.py"
                script.write_text(EVIDENTLY_SCRIPT)
                try:
                    evidently = run_json([str(python), str(script), ref_path, cur_path])
                    print(f"evidently {evidently['version']}: run {evidently['run_s']:.2f} s, "
                          f"max RSS {evidently['maxrss_mb']:.0f} MB, "
                          f"flagged {evidently['flagged']}")  # fmt: skip
                except (RuntimeError, subprocess.TimeoutExpired) as error:
                    note = f"run failed: {str(error).splitlines()[-1][:300]}"
            print("evidently:", note)
    large = None
    if not args.no_large:
        large = run_json([*me, "--worker", "large", "1000000", "80", "20"])
        print(f"1M x 100: fit {large['fit_s']:.2f} s, compare {large['compare_s']:.2f} s, "
              f"max RSS {large['maxrss_mb']:.0f} MB")  # fmt: skip
    text = summary(date, args.rows, ours, evidently, note, large)
    print()
    print(text)
    if not args.no_record:
        record(text)
        print(f"recorded in {RESULTS}")


def summary(date, rows, ours, evidently, note, large) -> str:
    expected = sorted(SHIFTED + SCALED + MOVED)
    lines = [
        SECTION,
        "",
        "`benchmarks/drift_bench.py` — reference and current frames of "
        f"{rows:,} rows x (40 numeric + 10 categorical) columns, drift injected in "
        f"{', '.join(SHIFTED + SCALED)} (numeric), {', '.join(MOVED)} (50/30/20 -> 20/30/50) "
        f"and {', '.join(SUBTLE)} (50/30/20 -> 40/35/25); {NUDGED[0]} moves by 0.05 sd. "
        "Ours: `compare(profile, current)` with the default tests (normed Wasserstein / "
        "Jensen-Shannon at threshold 0.1 above 1,000 reference rows), Holm and data quality, "
        f"median of the runs, in a fresh process reading the same parquet files. {date}, "
        f"{machine()}.",
        "",
        "| | ours | Evidently |",
        "|---|---:|---:|",
    ]
    ev = evidently or {}
    ratio = ev["run_s"] / ours["compare_s"] if ev else None
    lines += [
        f"| report from a fitted profile (s) | {ours['compare_s']:.2f} | {ev['run_s']:.1f} |"
        if ev
        else f"| report from a fitted profile (s) | {ours['compare_s']:.2f} | n/a |",
        f"| fitting the profile (s, once per reference) | {ours['fit_s']:.2f} | — |",
        f"| fit + report (s) | {ours['fit_s'] + ours['compare_s']:.2f} | "
        + (f"{ev['run_s']:.1f} |" if ev else "n/a |"),
        f"| peak memory, whole process (MB) | {ours['maxrss_mb']:.0f} | "
        + (f"{ev['maxrss_mb']:.0f} |" if ev else "n/a |"),
        f"| extra memory of one report (tracemalloc, MB) | {ours['compare_extra_mb']:.0f} | — |",
        f"| columns flagged | {', '.join(ours['flagged'])} | "
        + (f"{', '.join(ev['flagged'])} |" if ev else "n/a |"),
        f"| warnings (between 0.5x threshold and the threshold) | "
        f"{', '.join(ours['warnings']) or 'none'} | — |",
        "",
    ]
    if ev:
        same = sorted(ours["flagged"]) == sorted(ev["flagged"])
        lines.append(
            f"Evidently {ev['version']} ({note}; methods: {', '.join(ev['methods'])}). "
            f"Speed ratio Evidently / ours: **{ratio:.0f}x** on the report from a profile, "
            f"{ev['run_s'] / (ours['fit_s'] + ours['compare_s']):.0f}x on fit + report. "
            f"Flagged columns {'agree' if same else 'differ'}"
            f"{'' if same else ''}; expected {', '.join(expected)}."
        )
    else:
        lines.append(f"Evidently: {note}.")
    effects = "; ".join(
        f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items())
        for name, values in ours["effects"].items()
    )
    lines += [
        "",
        "The 50/30/20 -> 40/35/25 columns are below the 0.1 Jensen-Shannon threshold for both "
        "tools; ours marks them `warning` and reports the effect sizes beside the verdict "
        f"({effects}); with `categorical_test='chi2'` they drift with Holm-corrected p-values "
        + ", ".join(f"{n} {p:.1e}" if p > 0 else f"{n} < 1e-300" for n, p in ours["chi2_p"].items())
        + ".",
    ]
    if large:
        lines += [
            "",
            f"1,000,000 rows x 100 columns (80 numeric + 20 categorical), ours: fit "
            f"{large['fit_s']:.1f} s, report from the profile {large['compare_s']:.1f} s, peak "
            f"memory {large['maxrss_mb']:.0f} MB (two frames of about 0.7 GB each included).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "ours":
            result = worker_ours(rest[0], rest[1], int(rest[2]))
        else:
            result = worker_large(int(rest[0]), int(rest[1]), int(rest[2]))
        print(json.dumps(result))
    else:
        main()
