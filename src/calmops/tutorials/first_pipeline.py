"""Tutorial: a first pipeline on drifting data.

Generates a SEA stream whose concept changes half-way (8 batch files, with the ground truth of
where the change is), creates a stream pipeline on that folder, runs every file, and checks
that the pipeline kept its first model while nothing changed, then retrained and promoted a
new champion once the concept changed.

Run it with ``python first_pipeline.py [FOLDER]`` (FOLDER defaults to this file's folder), or
get a copy with ``calmops tutorial copy first-pipeline DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from calmops.tutorials.shell import Shell, check

TITLE = "A first pipeline on drifting data"
ROWS, BATCHES, DRIFT_AT = 8_000, 8, 4_000


def make_data(folder: Path) -> None:
    """Write ``folder/incoming/batch_001.csv`` ... and its drift record."""
    Shell(folder).calmops(
        "generate", "stream", "--generator", "sea", "--n", str(ROWS), "--drift-at",
        str(DRIFT_AT), "--batches", str(BATCHES), "--seed", "7", "--out", "incoming",
    )  # fmt: skip


def main(folder: Path) -> None:
    shell = Shell(folder)
    if not (folder / "incoming").is_dir():
        make_data(folder)
    record = json.loads((folder / "incoming" / "drift_record.json").read_text())
    print(f"\nground truth: the concept changes at row {record['events'][0]['onset_row']:,}")

    shell.calmops(
        "create", "first", "--data-dir", "incoming", "--target", "target",
        "--model", "sklearn.tree.DecisionTreeClassifier",
        "--param", "max_depth=6", "--param", "random_state=0",
    )  # fmt: skip
    shell.calmops("run", "first", "--once")
    shell.calmops("runs", "first")
    runs = sorted(shell.json("runs", "first"), key=lambda run: run["file"])
    decisions = [run["decision"] for run in runs]
    print("\ndecisions, batch by batch:", ", ".join(decisions))
    check(decisions[0] == "train", "the first batch trains the first model")
    check(
        all(d == "no_drift" for d in decisions[1 : BATCHES // 2]),
        "nothing retrains before the concept changes",
    )
    check("retrain" in decisions[BATCHES // 2 :], "a batch after the change retrains")
    models = shell.json("models", "first")
    check(len(models) >= 2, "the retrain promoted a second model version")

    changed = next(run for run in runs[BATCHES // 2 :] if run["decision"] == "retrain")
    shell.calmops("report", "first", changed["run_id"])
    shell.calmops("models", "first")
    print("\ntutorial ok: the pipeline retrained after the concept change")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
