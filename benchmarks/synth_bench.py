"""Synthesis from a real table: every registered synthesizer against SDV (issue 16).

Real tables that ship inside installed packages, each split 70/30 into train and holdout
(seeded, stratified on the target): river's SolarFlare (3 categorical columns), ChickWeights
(chick and diet read as labels), Phishing, ImageSegments (10% of its feature values made
missing completely at random with ``calmops.data_generators.inject``: no bundled table has
missing values) and scikit-learn's breast cancer and diabetes tables. Every synthesizer in
``SYNTHESIZERS`` (iterated, so whatever is registered runs) and SDV's GaussianCopulaSynthesizer
and CTGAN (few epochs) learn the same train split and sample as many rows; each sample is
scored by ``calmops.data_generators.evaluate`` against the same train and holdout. Then one
fit + sample of 10,000 rows × 20 columns per synthesizer.

SDV runs in its own virtual environment (``/tmp/sdv-venv``, created here when missing: CPU
``torch==2.13.0`` first, from the local wheel, then ``sdv``) through ``synth_sdv.py``; data
goes over parquet files. Time is fit + sample; memory is the ``tracemalloc`` peak (Python and
numpy allocations) during them (on the real tables one traced run gives both, for every
method alike; the 10,000 × 20 timing is the best of three untraced runs, and one traced
run for memory). If no synthesizer is registered yet, a stand-in that draws each column
independently from its marginal is registered inside this script only.

Run: ``.venv/bin/python benchmarks/synth_bench.py`` (``--quick``: five tables, CTGAN 5
epochs; ``--no-sdv``; ``--no-record``; ``--json FILE``). Figures go to the "Synthesis from a
real table (issue 16)" section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from calmops.data_generators import evaluate  # noqa: E402
from calmops.data_generators.evaluation.privacy import privacy  # noqa: E402
from calmops.data_generators.evaluation.tables import align  # noqa: E402
from calmops.data_generators.synth import (  # noqa: E402
    DEFAULT_SYNTHESIZER,
    SYNTHESIZERS,
    make_synthesizer,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_report import section, spread_table, table, verdicts  # noqa: E402
from synth_tables import TABLES, load, split, wide_table  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Synthesis from a real table (issue 16)"
VENV = Path("/tmp/sdv-venv")
RUNNER = HERE / "synth_sdv.py"
SDV_METHODS = ("sdv_gaussian_copula", "sdv_ctgan")
PRIVACY_SEEDS = 10
QUICK_TABLES = ("solar_flare", "chick_weights", "phishing", "image_segments", "breast_cancer")


class MarginalsStandIn:
    """Each column drawn independently from its own values (a stand-in, benchmark only)."""

    name = "marginals_standin"

    def fit(self, data: pd.DataFrame, target: str | None = None) -> MarginalsStandIn:
        self.data_ = data.reset_index(drop=True)
        return self

    def sample(self, n: int, conditions=None, seed: int | None = None) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        rows = len(self.data_)
        return pd.DataFrame(
            {c: self.data_[c].to_numpy()[rng.integers(0, rows, n)] for c in self.data_}
        )


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    check = [str(python), "-c", "import sdv, torch, pyarrow"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    subprocess.run(["python3.11", "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "torch==2.13.0"], check=True)  # the CPU wheel on disk; first
    subprocess.run([*pip, "sdv", "pyarrow"], check=True)
    return python


def measured(work):
    """``work()``'s result, its seconds and its tracemalloc peak in MB (one run, traced)."""
    tracemalloc.start()
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def timed_then_traced(work, repeats: int = 3):
    """``work()`` untraced ``repeats`` times for the seconds (the best: the machine is shared;
    tracing slows allocations down), then once traced for the peak memory."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    result, _, peak = measured(work)
    return result, min(times), peak


def run_ours(name: str, train: pd.DataFrame, target: str, seed: int):
    def work():
        return make_synthesizer(name).fit(train, target=target).sample(len(train), seed=seed)

    return measured(work)


def run_sdv(python: Path, splits: dict, epochs: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as tmp:
        folder = Path(tmp)
        for name, (train, _, _) in splits.items():
            train.to_parquet(folder / f"{name}.train.parquet", index=False)
        spec = {"tables": list(splits), "ctgan_epochs": epochs, "seed": seed}
        (folder / "spec.json").write_text(json.dumps(spec))
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        subprocess.run([str(python), str(RUNNER), str(folder)], check=True, env=env)
        runs = json.loads((folder / "sdv.json").read_text())
        samples = {
            (name, method): pd.read_parquet(folder / f"{name}.{method}.parquet")
            for name in splits
            for method in SDV_METHODS
        }
    return {"version": runs["version"], "runs": runs["runs"], "samples": samples}


def score(table: str, method: str, sample, train, holdout, target, seconds, peak) -> dict:
    sample = sample[list(train.columns)]
    data = evaluate(train, sample, holdout, target=target, seed=0).to_dict()
    row = {"table": table, "method": method, "seconds": seconds, "peak_mb": peak}
    row |= {f"fidelity.{k}": data["fidelity"][k] for k in ("column_shape", "column_pairs")}
    row["detection.auc"] = data["detection"]["auc"]
    row |= {f"utility.{k}": data["utility"][k] for k in ("trtr", "tstr", "metric")}
    row |= {f"privacy.{k}": v for k, v in data["privacy"].items()}
    return row


def run(names: list[str], sdv: bool, epochs: int, seed: int = 0) -> tuple[list[dict], dict]:
    splits = {}
    for name in names:
        frame, target = load(name)
        train, holdout = split(frame, target, seed)
        splits[name] = (train, holdout, target)
        print(
            f"{name}: {len(train)} train + {len(holdout)} holdout rows, "
            f"{frame.shape[1]} columns, target {target!r}",
            flush=True,
        )
    rows = []
    for name, (train, holdout, target) in splits.items():
        for method in SYNTHESIZERS.names():
            sample, seconds, peak = run_ours(method, train, target, seed)
            rows.append(score(name, method, sample, train, holdout, target, seconds, peak))
            print(f"  {name} {method}: {seconds:.2f} s", flush=True)
    meta = {"sdv_version": None}
    if sdv:
        theirs = run_sdv(ensure_venv(), splits, epochs, seed)
        meta["sdv_version"] = theirs["version"]
        for name, (train, holdout, target) in splits.items():
            for method in SDV_METHODS:
                cost = theirs["runs"][f"{name}.{method}"]
                sample = theirs["samples"][(name, method)]
                rows.append(score(name, method, sample, train, holdout, target, *cost.values()))
    return rows, meta


def privacy_over_seeds(names: list[str], seeds: range, seed: int = 0) -> list[dict]:
    """The default synthesizer's privacy figures over several sampling seeds, per table.

    One sample of a few hundred rows puts ±0.03 of sampling noise on ``dcr_closer_to_train``
    (a share of ~300 rows), so the privacy targets are judged on the mean over ``seeds``."""
    out = []
    for name in names:
        frame, target = load(name)
        train, holdout = split(frame, target, seed)
        fitted = make_synthesizer(DEFAULT_SYNTHESIZER).fit(train, target=target)
        figures = []
        for s in seeds:
            sample = fitted.sample(len(train), seed=s)[list(train.columns)]
            figures.append(privacy(align(train, sample, holdout), seed=0))
        closer = np.array([f.dcr_closer_to_train for f in figures])
        copies = np.array([f.exact_copies for f in figures])
        out.append(
            {
                "table": name,
                "seeds": len(seeds),
                "dcr_mean": float(closer.mean()),
                "dcr_sd": float(closer.std(ddof=1)),
                "dcr_max": float(closer.max()),
                "copies_mean": float(copies.mean()),
                "holdout_copies": figures[0].holdout_exact_copies,
            }
        )
        print(f"  {name} privacy over {len(seeds)} seeds: dcr {closer.mean():.3f}", flush=True)
    return out


def timing(seed: int = 0) -> list[dict]:
    """Fit + sample of 10,000 rows × 20 columns, per registered synthesizer."""
    frame, target = wide_table(10_000, seed)
    out = []
    for method in SYNTHESIZERS.names():
        synthesizer = make_synthesizer(method)
        sample, seconds, peak = timed_then_traced(
            lambda s=synthesizer: s.fit(frame, target=target).sample(len(frame), seed=seed)
        )
        assert sample.shape == frame.shape
        out.append({"method": method, "seconds": seconds, "peak_mb": peak, "shape": frame.shape})
        print(f"10,000 × 20 {method}: {seconds:.2f} s, {peak:.0f} MB", flush=True)
    holdout, _ = wide_table(3_000, seed + 7)
    _, seconds, peak = timed_then_traced(lambda: evaluate(frame, sample, holdout, target=target))
    out.append({"method": "evaluate()", "seconds": seconds, "peak_mb": peak, "shape": frame.shape})
    print(f"evaluate() of 10,000 × 20 (holdout 3,000): {seconds:.2f} s", flush=True)
    return out


def record(text: str) -> None:
    body = RESULTS.read_text()
    if SECTION in body:
        start = body.index(SECTION)
        following = body.find("\n## ", start + len(SECTION))
        body = body[:start] + text + ("" if following < 0 else body[following:])
    else:
        body = body.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(body.rstrip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", default=",".join(TABLES))
    parser.add_argument("--quick", action="store_true", help="five tables, CTGAN 5 epochs")
    parser.add_argument("--epochs", type=int, default=30, help="CTGAN epochs")
    parser.add_argument("--no-sdv", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    names = list(QUICK_TABLES) if args.quick else args.tables.split(",")
    epochs = 5 if args.quick else args.epochs
    load_avg = os.getloadavg()[0]
    if len(SYNTHESIZERS) == 0:
        SYNTHESIZERS.register(MarginalsStandIn)
        print("no synthesizer registered yet: using the marginals stand-in", flush=True)
    rows, meta = run(names, not args.no_sdv, epochs)
    spread = privacy_over_seeds(names, range(PRIVACY_SEEDS))
    timings = timing()
    checks = verdicts(rows, timings, spread)
    print(table(rows))
    print(spread_table(spread))
    for line in checks:
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": rows, "timing": timings, "privacy_seeds": spread}, indent=1, default=str
            )
        )
    if not args.no_record and not args.no_sdv:
        machine = f"{os.cpu_count()} cores {platform.machine()}"
        meta |= {"machine": machine, "python": platform.python_version(), "epochs": epochs}
        meta["load"] = load_avg
        meta["stamp"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        record(section(SECTION, rows, timings, checks, meta, spread))
    return 0


if __name__ == "__main__":
    sys.exit(main())
