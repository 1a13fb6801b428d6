"""Tutorial: block and IPIP pipelines.

Block: a file of SEA rows from ten sites, then a file from six sites with a drift injected
into one of them (``site4``); a block pipeline with one model per site (``block.router:
blockwise``) finds the drift in that site alone and retrains only its model.

IPIP: one file of hyperplane rows with 5% positives over eight months. An IPIP pipeline tests
each month with the current ensemble, then learns it (prequential), and keeps the best ``p``
balanced ensembles.

Run it with ``python blocks_and_ipip.py [FOLDER]``, or
``calmops tutorial copy blocks-and-ipip DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from calmops.data_generators import Blocks, BlockSet, generate_stream, inject
from calmops.tutorials.shell import Shell, check

TITLE = "Block and IPIP pipelines"


def _sites(n_sites: int, seed: int):
    frame = generate_stream("sea", 300 * n_sites, seed=seed,
                            blocks=Blocks(n_sites, column="site")).data  # fmt: skip
    frame["site"] = "site" + (frame["site"] + 1).astype(str)
    return frame


def make_data(folder: Path) -> None:
    """Write ``sites/1-january.csv``, ``sites/2-february.csv`` and ``months/2024.csv``."""
    (folder / "sites").mkdir(parents=True, exist_ok=True)
    _sites(10, seed=1).to_csv(folder / "sites" / "1-january.csv", index=False)
    drifted = inject(_sites(6, seed=2), "shift", columns=["x0", "x1"], magnitude=1.5, seed=0,
                     selector=BlockSet("site", ("site4",))).data  # fmt: skip
    drifted.to_csv(folder / "sites" / "2-february.csv", index=False)
    (folder / "months").mkdir(exist_ok=True)
    months = generate_stream("hyperplane", 4000, seed=3, balance={0: 0.95, 1: 0.05},
                             params={"n_features": 6, "noise_percentage": 0.05},
                             blocks=Blocks(8, column="month")).data  # fmt: skip
    months["month"] = months["month"].map(lambda m: f"2024-{m + 1:02d}")
    months.to_csv(folder / "months" / "2024.csv", index=False)


def blocks(shell: Shell) -> None:
    shell.calmops(
        "create", "sites", "--kind", "block", "--block-column", "site", "--data-dir", "sites",
        "--target", "target", "--model", "sklearn.tree.DecisionTreeClassifier",
        "--param", "max_depth=6", "--param", "random_state=0",
    )  # fmt: skip
    shell.calmops("update", "sites", "--set", "block.router=blockwise",
                  "--set", "decision.retrain_on=[data,performance]")  # fmt: skip
    shell.calmops("run", "sites", "--once")
    shell.calmops("report", "sites")
    report = shell.json("report", "sites")
    drifted = [site for site in report["blocks"]["order"]
               if report["blocks"]["drift"][site]["reference"]["drifted"]]  # fmt: skip
    print("\nsites that drifted against the reference:", ", ".join(drifted) or "none")
    check(drifted == ["site4"], "only site4 drifted")
    actions = {site: d["action"] for site, d in report["blocks"]["decisions"].items()}
    print("actions per site:", actions)
    check(actions["site4"] != "keep", "site4's model is retrained")


def ipip(shell: Shell) -> None:
    shell.calmops(
        "create", "rare", "--kind", "ipip", "--block-column", "month", "--data-dir", "months",
        "--target", "target", "--model", "sklearn.tree.DecisionTreeClassifier",
        "--param", "max_depth=5", "--param", "random_state=0",
    )  # fmt: skip
    shell.calmops("run", "rare", "--once")
    shell.calmops("report", "rare")
    report = shell.json("report", "rare")["ipip"]
    months = [block["block"] for block in report["blocks"]]
    check(len(months) == 8, "eight months, tested then learned one by one")
    score = report["prequential"]["balanced_accuracy"]
    print(f"\nprequential balanced accuracy {score:.3f} on {report['scored_rows']:,} rows")
    check(score > 0.6, "IPIP learns the rare class better than chance")


def main(folder: Path) -> None:
    if not (folder / "sites").is_dir():
        make_data(folder)
    shell = Shell(folder)
    blocks(shell)
    ipip(shell)
    print("\ntutorial ok: the drifted site was found and retrained; IPIP learned month by month")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
