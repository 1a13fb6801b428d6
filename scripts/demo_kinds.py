"""The block and IPIP parts of `make demo` (scripts/demo.py runs them after the stream part).

Block: two files of SEA rows from ten sites, a drift injected into one site of the second
file; a block pipeline with one model per site finds it there and retrains only that site.
IPIP: one file of 5%-minority hyperplane rows in eight months, learned prequentially.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from calmops.data_generators import Blocks, BlockSet, generate_stream, inject


def _sites(n_sites: int, seed: int):
    data = generate_stream("sea", 300 * n_sites, seed=seed, blocks=Blocks(n_sites, column="site"))
    frame = data.data
    frame["site"] = "site" + (frame["site"] + 1).astype(str)
    return frame


def block_demo(calmops: Callable[..., str], root: Path, home: Path) -> None:
    incoming = root / "sites"
    incoming.mkdir()
    _sites(10, seed=1).to_csv(incoming / "1-january.csv", index=False)
    drifted = inject(_sites(6, seed=2), "shift", columns=["x0", "x1"], magnitude=1.5, seed=0,
                     selector=BlockSet("site", ("site4",))).data  # fmt: skip
    drifted.to_csv(incoming / "2-february.csv", index=False)
    print(
        "\n\033[1mBlock pipeline: ten sites in January, six in February, "
        "a drift injected into site4 of February\033[0m"
    )
    calmops("create", "sites", "--kind", "block", "--block-column", "site", "--data-dir",
            str(incoming), "--target", "target", "--model", "sklearn.tree.DecisionTreeClassifier",
            "--param", "max_depth=6", home=home)  # fmt: skip
    calmops("update", "sites", "--set", "block.router=blockwise",
            "--set", "decision.retrain_on=[data,performance]", home=home)  # fmt: skip
    calmops("run", "sites", "--once", home=home)
    report = json.loads(calmops("report", "sites", "--json", home=home, capture=True))
    blocks = report["blocks"]
    print(f"\n{'site':<7} {'rows':>5} {'bal. acc.':>9}  {'drift vs reference':<19} action")
    for site in blocks["order"]:
        found = ", ".join(blocks["drift"][site]["reference"]["drifted"]) or "—"
        score = blocks["metrics"][site]["balanced_accuracy"]
        action = blocks["decisions"][site]["action"]
        print(f"{site:<7} {blocks['rows'][site]:>5} {score:>9.3f}  {found:<19} {action}")
    print(f"decision: {report['decision']['kind']} — {report['decision']['reason']}")


def ipip_demo(calmops: Callable[..., str], root: Path, home: Path) -> None:
    incoming = root / "months"
    incoming.mkdir()
    data = generate_stream("hyperplane", 4000, seed=3, balance={0: 0.95, 1: 0.05},
                           params={"n_features": 6, "noise_percentage": 0.05},
                           blocks=Blocks(8, column="month")).data  # fmt: skip
    data["month"] = data["month"].map(lambda m: f"2024-{m + 1:02d}")
    data.to_csv(incoming / "2024.csv", index=False)
    print("\n\033[1mIPIP pipeline: 5% positives over eight months, test then learn each\033[0m")
    calmops("create", "rare", "--kind", "ipip", "--block-column", "month", "--data-dir",
            str(incoming), "--target", "target", "--model", "sklearn.tree.DecisionTreeClassifier",
            "--param", "max_depth=5", home=home)  # fmt: skip
    calmops("run", "rare", "--once", home=home)
    report = json.loads(calmops("report", "rare", "--json", home=home, capture=True))
    print(f"\n{'month':<8} {'bal. acc. before learning':>25}  {'p':>2} {'b':>2} "
          f"{'ensembles':>9} {'replaced':>8}")  # fmt: skip
    for block in report["ipip"]["blocks"]:
        score = (block["metrics"] or {}).get("balanced_accuracy")
        shown = "— (trains)" if score is None else f"{score:.3f}"
        print(f"{block['block']:<8} {shown:>25}  {block['p']:>2} {block['b']:>2} "
              f"{block['ensembles']:>9} {block['replaced_share']:>8.0%}")  # fmt: skip
    overall = report["ipip"]["prequential"]["balanced_accuracy"]
    print(f"prequential balanced accuracy {overall:.3f} on {report['ipip']['scored_rows']:,} rows")
