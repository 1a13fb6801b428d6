"""A clinical cohort whose disease subgroup shifts at visit 3, run through a CalmOps pipeline.

1. `calmops generate clinic` writes 600 patients x 3 visits, one file per visit, with the
   ground truth: every disease patient has five marker genes raised 2.5-fold, and half of
   them ("progressive") get a three-fold rise of ten more genes from visit 3 on;
2. `calmops create` a stream pipeline on that folder (patient_id is an id, date the time
   column; visit, group and subgroup are ground truth, so excluded) and `calmops run` it;
3. compare what the pipeline found, visit by visit, with the record.

Every step is a real `calmops` command; the workspace stays on disk to look around.
`--check` exits 1 unless drift is found at visit 3 and not before (the slow test uses it).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

COHORT = """\
patients: 600
visits: 3
stability: 0.7
genes: {count: 40}
proteins: {count: 10}
modules:
  - {name: inflammation, columns: [G_0..G_9], correlation: 0.5}
subgroups:
  - {name: progressive, share: 0.5, effects: [marker, flare]}
  - {name: stable, remainder: true, effects: [marker]}
effects:
  marker: {kind: fold_change, columns: [G_30..G_34], value: 2.5}
  flare: {kind: fold_change, columns: [G_0..G_9], value: 3, from_visit: 3}
target:
  name: diagnosis
  weights: {disease: 1.5, G_20: 0.5, age: 0.3}
  noise_sd: 0.3
  threshold: 0.5
"""


def calmops(*args: str, home: Path, capture: bool = False) -> str:
    shown = " ".join(shlex.quote(a) for a in ("calmops", *args))
    if not capture:
        print(f"\n\033[1m$ {shown}\033[0m", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "calmops", "--home", str(home), *args],
        capture_output=capture,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"demo step failed (exit {result.returncode}): {shown}\n{result.stderr or ''}")
    return result.stdout if capture else ""


def main(check: bool = False) -> int:
    root = Path(tempfile.mkdtemp(prefix="calmops-clinic-demo-"))
    home, incoming = root / "home", root / "visits"
    spec = root / "clinic.yaml"
    spec.write_text(COHORT)
    print(f"Demo workspace: {home}")
    calmops("generate", "clinic", "--config", str(spec), "--layout", "visits",
            "--seed", "17", "--out", str(incoming), home=home)  # fmt: skip
    calmops("create", "clinic", "--data-dir", str(incoming), "--target", "diagnosis",
            "--model", "sklearn.tree.DecisionTreeClassifier", "--param", "max_depth=4",
            "--param", "random_state=0", "--id-column", "patient_id", "--time-column", "date",
            "--exclude", "visit", "--exclude", "group", "--exclude", "subgroup",
            home=home)  # fmt: skip
    calmops("run", "clinic", "--once", home=home)
    record = json.loads((incoming / "drift_record.json").read_text())  # never read as a batch
    late = [e for e in record["events"] if e["operation"] == "fold_change"]
    truth_visit = late[0]["params"]["visit"]
    runs = json.loads(calmops("runs", "clinic", "--json", home=home, capture=True))
    found = {}
    print("\n\033[1mWhat the pipeline found, against the ground truth\033[0m")
    print(f"{'file':<12} {'truth':<32} {'data drift':<10} decision")
    for run in sorted(runs, key=lambda r: r["file"]):
        visit = int(Path(run["file"]).stem.split("_")[-1])
        drift = bool((run.get("signals") or {}).get("data"))
        found[visit] = drift
        truth = (
            f"fold change x3 on {len(late[0]['columns'])} genes"
            if visit >= truth_visit
            else "no change"
        )
        print(f"{Path(run['file']).name:<12} {truth:<32} {'DRIFT' if drift else '—':<10} "
              f"{run['decision'] or run['status']}")  # fmt: skip
    ok = found.get(truth_visit, False) and not any(found.get(v) for v in range(2, truth_visit))
    print(json.dumps({"found": found, "truth_visit": truth_visit, "ok": bool(ok)}))
    print(f"\nDone. Look around: calmops --home {home} report clinic")
    return 0 if ok or not check else 1


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
