"""`make demo`: CalmOps on drifting data, in a temporary workspace, as a user would run it.

Every step is a real `calmops` command in a subprocess; its output is shown as is.
The workspace is left on disk so you can look around afterwards.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd


def calmops(*args: str, home: Path) -> None:
    shown = " ".join(shlex.quote(a) for a in ("calmops", *args))
    print(f"\n\033[1m$ {shown}\033[0m", flush=True)
    result = subprocess.run([sys.executable, "-m", "calmops", "--home", str(home), *args])
    if result.returncode != 0:
        sys.exit(f"demo step failed with exit code {result.returncode}: {shown}")


def write_batches(folder: Path, seed: int = 7) -> list[Path]:
    """Two labelled batches of a credit-like table; the second one has drifted."""
    rng = np.random.default_rng(seed)
    written = []
    ages = ["18-30", "31-50", "51+"]
    for number, (income_shift, age_mix) in enumerate(
        [(0.0, [0.3, 0.45, 0.25]), (0.8, [0.6, 0.3, 0.1])], start=1
    ):
        n = 2000
        income = rng.lognormal(mean=10 + income_shift * 0.25, sigma=0.4, size=n)
        age_band = rng.choice(ages, size=n, p=age_mix)
        debt = rng.gamma(2.0, 2000 + 1500 * income_shift, size=n)
        risk = 0.00004 * debt - 0.00002 * income + (age_band == "18-30") * 0.5
        label = (risk + rng.normal(0, 0.3, n) > np.median(risk)).astype(int)
        frame = pd.DataFrame(
            {"income": income.round(2), "debt": debt.round(2), "age_band": age_band, "label": label}
        )
        path = folder / f"batch_{number:03d}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    return written


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="calmops-demo-"))
    home, incoming = root / "home", root / "incoming"
    print(f"Demo workspace: {home}")
    calmops(
        "create",
        "demo",
        "--data-dir",
        str(incoming),
        "--target",
        "label",
        "--model",
        "sklearn.linear_model.LogisticRegression",
        "--param",
        "max_iter=500",
        home=home,
    )
    first, second = write_batches(incoming)
    print(f"\nWrote {first.name} and {second.name} (the second one has drifted) to {incoming}")
    calmops("inspect", str(first), "--rows", "3", home=home)
    calmops("list", home=home)
    calmops("show", "demo", home=home)
    print(f"\nDone. Look around: ls {home}/pipelines/demo")


if __name__ == "__main__":
    main()
