"""Tutorial: a real table with a time column, and labels that arrive later.

scikit-learn's breast-cancer table (569 patients, shipped with scikit-learn) gets a patient id
and a visit date. January's visits come with their diagnosis and train the first model; the
visits of February to April arrive without it, are only scored (``predict_only``) and get a
label-free estimate of the model's accuracy. Then the diagnoses of February and March arrive
in one file, and ``calmops labels`` joins them to the logged predictions by patient id: the
runs that scored those patients get their realized metrics beside the estimate.

Run it with ``python real_table.py [FOLDER]``, or ``calmops tutorial copy real-table DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from calmops.tutorials.shell import Shell, check

TITLE = "A real table with a time column and delayed labels"
MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04")


def make_data(folder: Path) -> None:
    """Write ``incoming/<month>.csv`` (only January labelled) and ``outcomes.csv``."""
    from sklearn.datasets import load_breast_cancer

    table = load_breast_cancer(as_frame=True).frame
    table.columns = [c.replace(" ", "_") for c in table.columns]
    table = table.rename(columns={"target": "benign"})
    table = table.sample(frac=1, random_state=0).reset_index(drop=True)  # patients in any order
    table.insert(0, "patient_id", [f"P-{i:04d}" for i in range(len(table))])
    month = pd.Series(MONTHS).repeat(-(-len(table) // len(MONTHS))).iloc[: len(table)]
    day = pd.Series(range(len(table))) % 28 + 1
    dates = month.to_numpy() + "-" + day.map("{:02d}".format).to_numpy()
    table.insert(1, "visit_date", pd.to_datetime(dates))
    (folder / "incoming").mkdir(parents=True, exist_ok=True)
    for first, name in enumerate(MONTHS):
        rows = table[table["visit_date"].dt.strftime("%Y-%m") == name].sort_values("visit_date")
        if first:  # later months: the diagnosis is not known yet
            rows = rows.drop(columns="benign")
        rows.to_csv(folder / "incoming" / f"{name}.csv", index=False)
    late = table[table["visit_date"].dt.strftime("%Y-%m").isin(MONTHS[1:3])]
    late[["patient_id", "benign"]].to_csv(folder / "outcomes.csv", index=False)


def main(folder: Path) -> None:
    shell = Shell(folder)
    if not (folder / "incoming").is_dir():
        make_data(folder)
    shell.calmops("inspect", "incoming/2025-01.csv")
    shell.calmops(
        "create", "clinic", "--data-dir", "incoming", "--target", "benign",
        "--id-column", "patient_id", "--time-column", "visit_date",
        "--model", "sklearn.ensemble.RandomForestClassifier",
        "--param", "n_estimators=100", "--param", "random_state=0",
    )  # fmt: skip
    shell.calmops("run", "clinic", "--once")
    shell.calmops("runs", "clinic")
    runs = sorted(shell.json("runs", "clinic"), key=lambda run: run["file"])
    check([r["decision"] for r in runs] == ["train"] + ["predict_only"] * 3,
          "January trains; later months are only scored")  # fmt: skip
    check(all(r["estimation"] for r in runs[1:]), "every scored month has an estimate")
    check(all(r["period"] for r in runs), "the time column gives each run its period")

    shell.calmops("labels", "clinic", "outcomes.csv", "--key", "patient_id")
    after = {r["run_id"]: r for r in shell.json("runs", "clinic")}
    shell.calmops("runs", "clinic")
    realized = [after[r["run_id"]] for r in runs[1:3]]
    check(all(r["metrics"] for r in realized), "February and March now have realized metrics")
    check(not after[runs[3]["run_id"]]["metrics"], "April has no labels yet: no realized metric")
    shell.calmops("report", "clinic", runs[1]["run_id"])
    print("\ntutorial ok: delayed labels joined by patient_id to the runs that scored them")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
