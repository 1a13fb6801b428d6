"""Tutorial: drift between two files, and an HTML report in CI with ``--fail-on-drift``.

Two samples of the same SEA stream are compared (no drift: exit code 0); then one column of
the second is shifted by half a standard deviation with ``calmops generate inject`` (which
records the ground truth), and the comparison finds that column, writes a self-contained HTML
report and exits with code 3 — the code a CI job fails on.

Run it with ``python drift_in_ci.py [FOLDER]``, or ``calmops tutorial copy drift-in-ci DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from calmops.tutorials.shell import Shell, check

TITLE = "Drift between two files, and the HTML report in CI"
DRIFT_FOUND = 3  # the exit code of `calmops drift --fail-on-drift` when drift is found


def make_data(folder: Path) -> None:
    """Write ``data/batch_0001.csv`` (reference), ``data/batch_0002.csv`` (current)."""
    Shell(folder).calmops(
        "generate", "stream", "--generator", "sea", "--n", "6000", "--batches", "2",
        "--seed", "11", "--out", "data",
    )  # fmt: skip


def main(folder: Path) -> None:
    shell = Shell(folder)
    if not (folder / "data").is_dir():
        make_data(folder)
    reference, current = "data/batch_0001.csv", "data/batch_0002.csv"
    shell.calmops("drift", reference, current, "--target", "target", "--fail-on-drift")
    check(shell.last_code == 0, "two samples of one stream: no drift, exit 0")

    shell.calmops(
        "generate", "inject", current, "--out", "data/shifted.csv", "--op", "shift",
        "--columns", "x1", "--magnitude", "0.5", "--seed", "1",
    )  # fmt: skip
    truth = json.loads((folder / "data" / "shifted.drift_record.json").read_text())
    print("ground truth:", [(e["operation"], e["columns"]) for e in truth["events"]])
    shell.calmops(
        "drift", reference, "data/shifted.csv", "--target", "target",
        "--html", "drift.html", "--fail-on-drift", ok=(DRIFT_FOUND,),
    )  # fmt: skip
    check(shell.last_code == DRIFT_FOUND, "the shifted column is found: exit 3")
    report = json.loads(shell.calmops(
        "drift", reference, "data/shifted.csv", "--target", "target", "--json", show=False
    ))  # fmt: skip
    drifted = sorted(name for name, column in report["features"].items() if column["drift"])
    print("columns that drifted:", drifted)
    check(drifted == ["x1"], "exactly the injected column drifted")
    page = (folder / "drift.html").read_text()
    check('<script src="http' not in page, "the HTML report loads nothing from the network")
    print(f"drift.html: {len(page):,} characters, self-contained")
    print("\ntutorial ok: no drift exits 0, the injected shift exits 3 with an HTML report")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
