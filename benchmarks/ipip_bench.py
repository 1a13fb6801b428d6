"""IPIP against its plain base model and ``class_weight="balanced"`` on 5%-minority data.

Two datasets, each over 5 seeded train/test splits (stratified, 60/40), every model scored
by balanced accuracy on the same test rows:

- ``hyperplane``: ``calmops.data_generators`` Hyperplane, 4,000 rows, 6 features, 5% noise,
  classes resampled to exactly 95/5;
- ``breast cancer``: scikit-learn's ``load_breast_cancer`` (no download) with the malignant
  class subsampled to 5% of the rows (357 benign + 19 malignant per seed).

Base models: a depth-5 decision tree and a standardised logistic regression. IPIP uses the
default proportions (p and b derived from the minority count). The last columns are the
prequential IPIP pipeline: a file of 8 monthly blocks of 500 hyperplane rows, scored block
by block before each update, timed end to end (``calmops run``'s engine in-process).

Run: ``python benchmarks/ipip_bench.py`` (about 20-60 s); prints the RESULTS.md section.
"""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from calmops import IPIPClassifier
from calmops.data_generators import Blocks, generate_stream

SEEDS = range(5)
BASES = {
    "tree (depth 5)": lambda weight: DecisionTreeClassifier(
        max_depth=5, class_weight=weight, random_state=0
    ),
    "logistic regression": lambda weight: make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000, class_weight=weight)
    ),
}


def hyperplane(seed: int):
    data = generate_stream(
        "hyperplane",
        4000,
        seed=100 + seed,
        balance={0: 0.95, 1: 0.05},
        params={"n_features": 6, "noise_percentage": 0.05},
    ).data
    return data.drop(columns="target").to_numpy(), data["target"].to_numpy()


def breast_cancer(seed: int):
    data = load_breast_cancer()
    y = 1 - data.target  # malignant = 1, made rare
    rng = np.random.default_rng(seed)
    negative, positive = np.flatnonzero(y == 0), np.flatnonzero(y == 1)
    keep = rng.choice(positive, round(0.05 / 0.95 * len(negative)), replace=False)
    rows = np.sort(np.concatenate([negative, keep]))
    return data.data[rows], y[rows]


def evaluate(load, base_name: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"plain": [], "balanced": [], "ipip": [], "ipip_s": []}
    for seed in SEEDS:
        X, y = load(seed)
        split = train_test_split(X, y, test_size=0.4, stratify=y, random_state=seed)
        X_train, X_test, y_train, y_test = split
        for name, model in (
            ("plain", BASES[base_name](None)),
            ("balanced", BASES[base_name]("balanced")),
            ("ipip", IPIPClassifier(clone(BASES[base_name](None)), random_state=seed)),
        ):
            began = time.perf_counter()
            model.fit(X_train, y_train)
            if name == "ipip":
                found["ipip_s"].append(time.perf_counter() - began)
            found[name].append(balanced_accuracy_score(y_test, model.predict(X_test)))
    return found


def prequential_pipeline() -> tuple[float, float, int]:
    """Seconds and prequential balanced accuracy of an ipip pipeline over 8 blocks."""
    from calmops.pipeline.runner import Runner
    from calmops.settings import Settings
    from calmops.spec import PipelineSpec
    from calmops.workspace import Workspace

    root = Path(tempfile.mkdtemp(prefix="ipip-bench-"))
    incoming = root / "in"
    incoming.mkdir()
    data = generate_stream(
        "hyperplane",
        4000,
        seed=7,
        balance={0: 0.95, 1: 0.05},
        params={"n_features": 6, "noise_percentage": 0.05},
        blocks=Blocks(n_blocks=8, column="month"),
    ).data
    data.to_csv(incoming / "year.csv", index=False)
    workspace = Workspace(Settings(home=root / "home"))
    spec = {
        "name": "bench",
        "kind": "ipip",
        "data": {"dir": str(incoming), "target": "target", "block_column": "month"},
        "model": {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 5}},
    }
    workspace.create(PipelineSpec.from_dict(spec))
    began = time.perf_counter()
    with Runner(workspace, "bench") as runner:
        (result,) = runner.run_pending()
    seconds = time.perf_counter() - began
    report = workspace.store.runs.get("bench", result.run_id).report["ipip"]
    return seconds, report["prequential"]["balanced_accuracy"], report["scored_rows"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, commit {commit}"


def main() -> None:
    rows = []
    for data_name, load in (("hyperplane 5%", hyperplane), ("breast cancer 5%", breast_cancer)):
        for base_name in BASES:
            found = evaluate(load, base_name)
            rows.append((data_name, base_name, found))
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print("## IPIP (issue 6)\n")
    print(
        "`benchmarks/ipip_bench.py` — balanced accuracy on the same test rows (mean ± sd "
        f"over {len(SEEDS)} seeded 60/40 stratified splits); IPIP with default proportions "
        f"around the same base model. {stamp}, {machine()}.\n"
    )
    print('| data | base model | plain | class_weight="balanced" | IPIP | IPIP fit s |')
    print("|---|---|---:|---:|---:|---:|")
    for data_name, base_name, found in rows:
        cells = [
            f"{np.mean(found[k]):.3f} ± {np.std(found[k]):.3f}"
            for k in ("plain", "balanced", "ipip")
        ]
        print(
            f"| {data_name} | {base_name} | {' | '.join(cells)} | {np.mean(found['ipip_s']):.2f} |"
        )
    seconds, score, scored = prequential_pipeline()
    print(
        f"\nPrequential IPIP pipeline (8 monthly blocks of 500 hyperplane rows, depth-5 trees): "
        f"{seconds:.1f} s for the run, balanced accuracy {score:.3f} on the {scored:,} rows "
        "scored before the model learned them."
    )


if __name__ == "__main__":
    main()
