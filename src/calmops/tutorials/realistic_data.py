"""Tutorial: realistic data with ground-truth drift, and checking that a pipeline finds it.

``calmops generate synth`` learns scikit-learn's breast-cancer table (569 patients) and writes
3,000 synthetic patients that keep its columns, ranges and dependencies (sequential CART).
``calmops generate inject`` then shifts two measurements from row 1,500 on, and records where
(the drift record: the ground truth). Cut into six batches of 500 rows, the stream goes
through a pipeline; the tutorial checks that the data-drift signal fires on the batches the
record says drifted, and on no batch before.

Run it with ``python realistic_data.py [FOLDER]``, or
``calmops tutorial copy realistic-data DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from calmops.tutorials.shell import Shell, check

TITLE = "Realistic data with ground-truth drift"
ROWS, BATCH, ONSET = 3_000, 500, 1_500
SHIFTED = "mean_texture,worst_smoothness"


def make_data(folder: Path) -> None:
    """Write ``real.csv``, the synthetic ``synth.csv`` and the drifted ``drifted.csv``."""
    from sklearn.datasets import load_breast_cancer

    real = load_breast_cancer(as_frame=True).frame
    real.columns = [c.replace(" ", "_") for c in real.columns]
    real.to_csv(folder / "real.csv", index=False)
    shell = Shell(folder)
    shell.calmops("generate", "synth", "real.csv", "--out", "synth.csv", "--method", "cart",
                  "--n", str(ROWS), "--target", "target", "--seed", "3")  # fmt: skip
    shell.calmops("generate", "inject", "synth.csv", "--out", "drifted.csv", "--op", "shift",
                  "--columns", SHIFTED, "--magnitude", "1.0", "--rows", f"{ONSET}:",
                  "--seed", "3")  # fmt: skip


def main(folder: Path) -> None:
    if not (folder / "drifted.csv").is_file():
        make_data(folder)
    shell = Shell(folder)
    shell.calmops("generate", "evaluate", "real.csv", "synth.csv")
    record = json.loads((folder / "drifted.drift_record.json").read_text())
    onset = record["events"][0]["onset_row"]
    print(f"ground truth: {SHIFTED} shifted from row {onset:,}")

    table = pd.read_csv(folder / "drifted.csv")
    (folder / "incoming").mkdir(exist_ok=True)
    for number, start in enumerate(range(0, len(table), BATCH), start=1):
        table.iloc[start : start + BATCH].to_csv(
            folder / "incoming" / f"batch_{number:02d}.csv", index=False
        )
    shell.calmops("create", "synthetic", "--data-dir", "incoming", "--target", "target",
                  "--model", "sklearn.ensemble.RandomForestClassifier",
                  "--param", "n_estimators=50", "--param", "random_state=0")  # fmt: skip
    shell.calmops("run", "synthetic", "--once")
    runs = sorted(shell.json("runs", "synthetic"), key=lambda run: run["file"])
    print(f"\n{'batch':<13} {'rows':<12} {'truth':<8} data signal")
    found = []
    for number, run in enumerate(runs):
        start = number * BATCH
        truth = "drift" if start + BATCH > onset else "stable"
        fired = bool(run["signals"].get("data"))
        found.append((truth, fired))
        print(f"{Path(run['file']).name:<13} {start:>5}-{start + BATCH - 1:<6} {truth:<8} "
              f"{'FIRED' if fired else 'quiet'}")  # fmt: skip
    later = found[1:]  # the first batch trains the model: it has no reference yet
    check(all(fired for truth, fired in later if truth == "drift"), "every drifted batch found")
    check(not any(fired for truth, fired in later if truth == "stable"), "no false alarm")
    shell.calmops("report", "synthetic", runs[ONSET // BATCH]["run_id"])
    print("\ntutorial ok: the pipeline found the injected drift where the record says, only there")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
