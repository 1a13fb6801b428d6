"""A clinical cohort of 10,000 patients x 2,000 genes x 200 proteins x 3 visits.

Targets (issue 17): under 20 s and under 2 GB on this machine. Each case runs in a fresh
process; the time is ``generate_cohort`` alone (imports excluded), the memory is the peak
resident set of that process (imports included). The CPU time (user + system of that
process) is printed beside the wall time: on a shared machine it is the steadier figure.
``wide()`` times joining the three tables into one; nothing is written to disk.

Cases:
- modules: 20 gene modules of 50 (r 0.5), a protein module, age linked to a module, two
  subgroups with effects (one from visit 3), a transition at visit 2, a module change at
  visit 3, stability 0.8 (every visit redrawn), a thresholded target;
- stable: the same with stability 1 (visits without a latent change share it);
- one-module: one module over all 2,000 genes and 200 proteins (r 0.3), coloured with the
  closed-form square root (no factor);
- dense: the same module plus age linked to 50 of its genes (r 0.05): one linked component
  of 2,201 columns, a dense Cholesky factor and a 2,201 x 2,201 product per visit, the worst
  case of the copula.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

PATIENTS, GENES, PROTEINS, VISITS = 10_000, 2_000, 200, 3
TARGET_SECONDS, TARGET_MB = 20.0, 2048.0
CASES = ("modules", "stable", "one-module", "dense")


def spec(case: str) -> dict:
    modules = [
        {"name": f"M{i}", "columns": [f"G_{50 * i}..G_{50 * i + 49}"], "correlation": 0.5}
        for i in range(20)
    ] + [{"name": "PA", "columns": ["P_0..P_49"], "correlation": 0.4}]
    links = [{"columns": ["age"], "with": ["G_1000..G_1049"], "correlation": 0.2}]
    if case in ("one-module", "dense"):
        modules = [{"name": "all", "columns": ["G_0..G_1999", "P_0..P_199"], "correlation": 0.3}]
        links = [] if case == "one-module" else [{**links[0], "correlation": 0.05}]
    return {
        "patients": PATIENTS,
        "visits": VISITS,
        "genes": {"count": GENES},
        "proteins": {"count": PROTEINS},
        "stability": 1.0 if case == "stable" else 0.8,
        "modules": modules,
        "links": links,
        "subgroups": [
            {"name": "a", "share": 0.5, "effects": ["up"]},
            {"name": "b", "remainder": True, "effects": ["late"]},
        ],
        "effects": {
            "up": {"kind": "fold_change", "columns": ["G_0..G_99"], "value": 2},
            "late": {
                "kind": "additive_shift",
                "columns": ["P_0..P_19"],
                "value": 5,
                "from_visit": 3,
            },
        },
        "transitions": [{"visit": 2, "from": "control", "to": "a", "share": 0.1}],
        "module_changes": []
        if case in ("one-module", "dense")
        else [{"visit": 3, "module": "M1", "correlation": 0.1}],
        "target": {"weights": {"disease": 1.0, "G_0": 0.5, "age": 0.2}, "threshold": 0.5},
    }


def run_case(case: str) -> dict:
    from calmops.data_generators import generate_cohort

    start, cpu = time.perf_counter(), time.process_time()
    cohort = generate_cohort(spec(case), seed=1)
    generate_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    wide = cohort.wide()
    wide_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": case,
        "generate_s": generate_s,
        "cpu_s": cpu_s,
        "wide_s": wide_s,
        "peak_mb": peak_mb,
        "shape": list(wide.shape),
    }


def main() -> None:
    print(f"{PATIENTS} patients x {GENES} genes x {PROTEINS} proteins x {VISITS} visits")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'case':10} {'generate s':>10} {'cpu s':>6} {'wide() s':>8} {'peak MB':>7}  verdict")
    for case in CASES:
        out = subprocess.run(
            [sys.executable, __file__, case], check=True, capture_output=True, text=True
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        ok = r["generate_s"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB
        print(
            f"{case:10} {r['generate_s']:10.2f} {r['cpu_s']:6.2f} {r['wide_s']:8.2f} "
            f"{r['peak_mb']:7.0f}  {'meets' if ok else 'MISSES'} "
            f"(< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB)"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in CASES:
        print(json.dumps(run_case(sys.argv[1])))
    else:
        main()
