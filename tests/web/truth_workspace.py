"""A small workspace for the "tell the truth" checks of the dashboards (issue 18, items 1-6).

``shared``  a classification stream whose drift rule is ``share`` (50%): its last batch moves
            x0 far (one feature of three drifts), so the dataset rule does not fire
``once``    one run only: the champion was trained on the only labelled batch there is
``stable``  two batches of one concept: the second is scored, not learned
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import Lab, sea_batches

TREE = {
    "class": "sklearn.tree.DecisionTreeClassifier",
    "params": {"max_depth": 6, "random_state": 0},
}


def build_truth(root: Path) -> Lab:
    return add_truth(Lab(root, folder_per_pipeline=True))


def add_truth(lab: Lab) -> Lab:
    """Create and run the pipelines above in ``lab`` (one folder per pipeline)."""
    lab.create("shared", model=TREE, drift={"dataset_rule": "share", "drift_share": 0.5})
    batches = sea_batches(3, size=1500, seed=4)
    shifted = batches[2].copy()
    shifted["x0"] = shifted["x0"] + 4.0
    for frame in [*batches[:2], shifted]:
        lab.write(frame, pipeline="shared")
    lab.run("shared")
    lab.create("once", model=TREE)
    lab.write(sea_batches(1, size=800, seed=5)[0], pipeline="once")
    lab.run("once")
    lab.create("stable", model=TREE)
    for frame in sea_batches(2, size=1500, seed=6):
        lab.write(frame, pipeline="stable")
    lab.run("stable")
    return lab
