"""The test harness itself: what ``tests/harness.py`` promises every suite."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tests.harness import Lab, linear_batches, sea_batches, sea_rows

from calmops.data_generators import abrupt, generate_stream

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 3}}


def test_a_lab_writes_batches_in_order_runs_them_and_reads_the_runs(tmp_path: Path) -> None:
    lab = Lab(tmp_path)
    spec = lab.create(model=TREE)
    assert spec.data.dir == tmp_path / "incoming" and spec.data.target == "target"
    first, second = sea_batches(2, size=300)
    later = lab.write(second, "a_later.csv")
    earlier = lab.write(first, "z_earlier.csv")  # written second: runs second, whatever its name
    assert later.stat().st_mtime < earlier.stat().st_mtime
    results = lab.run()
    assert [Path(r.source).name for r in results] == ["a_later.csv", "z_earlier.csv"]
    assert [r.status for r in results] == ["succeeded", "succeeded"]
    assert lab.by_file() == {"a_later.csv": ["succeeded"], "z_earlier.csv": ["succeeded"]}
    assert [Path(r.source).name for r in lab.runs()] == ["z_earlier.csv", "a_later.csv"]
    assert lab.runs()[-1].decision == "train"  # newest first: the first run trained


def test_given_data_and_trigger_are_laid_over_the_defaults(tmp_path: Path) -> None:
    defaults = {"trigger": {"type": "watch", "settle_ms": 300}, "model": TREE}
    lab = Lab(tmp_path, defaults=defaults)
    spec = lab.create(
        trigger={"settle_ms": 5},
        model={"class": "sklearn.linear_model.LogisticRegression"},
        data={"target": "label"},
    )
    assert (spec.trigger.type, spec.trigger.settle_ms) == ("watch", 5)
    assert spec.model.class_name == "sklearn.linear_model.LogisticRegression"
    assert spec.model.params == {}  # a model replaces the default one, parameters included
    assert (spec.data.dir, spec.data.target) == (tmp_path / "incoming", "label")


def test_a_copy_has_its_own_folders_and_store(tmp_path: Path) -> None:
    lab = Lab(tmp_path / "original", folder_per_pipeline=True)
    lab.create("a", model=TREE)
    lab.write(sea_rows(200), pipeline="a")
    copy = lab.copy(tmp_path / "copy")
    assert copy.ws.spec("a").data.dir == tmp_path / "copy" / "in-a"
    assert [r.status for r in copy.run("a")] == ["succeeded"]
    assert lab.runs("a") == [] and len(copy.runs("a")) == 1


def test_the_batch_helpers_are_seeded_and_shaped_as_documented() -> None:
    assert sea_rows(50).equals(generate_stream("sea", 50, seed=1).data)
    batches = sea_batches(4, size=100, drift_at=2)
    assert [len(b) for b in batches] == [100] * 4
    assert all(b.index.tolist() == list(range(100)) for b in batches)
    schedule = abrupt(200, to={"variant": 3})
    whole = generate_stream("sea", 400, seed=1, params={"noise": 0.05}, schedule=schedule).data
    assert pd.concat(batches, ignore_index=True).equals(whole)
    flipped = linear_batches(2, size=2000, flip_at=1)
    slopes = [np.polyfit(b["x1"], b["target"], 1)[0] for b in flipped]
    assert slopes[0] > 2.5 and slopes[1] < -2.5
