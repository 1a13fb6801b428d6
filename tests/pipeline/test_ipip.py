"""The IPIP kind end to end: prequential scoring over blocks, the IPIP structure recorded per
block, and blocks it cannot learn from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import Blocks, generate_stream
from calmops.models.metrics import Proba, scores
from calmops.models.registry import ModelRegistry

from .test_block import rows_of

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 5}}


def months(seed: int, n_blocks: int, start: int = 1, rows: int = 400) -> pd.DataFrame:
    """Imbalanced (5% positive) hyperplane rows in monthly blocks ``2024-<start>``..."""
    data = generate_stream(
        "hyperplane",
        rows * n_blocks,
        seed=seed,
        balance={0: 0.95, 1: 0.05},
        params={"n_features": 5, "noise_percentage": 0.05},
        blocks=Blocks(n_blocks=n_blocks),
    ).data
    data["month"] = [f"2024-{start + b}" for b in data.pop("block")]
    return data


def create(lab, **sections):
    sections.setdefault("model", TREE)
    return lab.create(kind="ipip", data={"block_column": "month"}, **sections)


def report_of(lab, result) -> dict:
    return lab.ws.store.runs.get("demo", result.run_id).report


def test_blocks_are_scored_then_learned_and_the_structure_is_recorded(lab) -> None:
    create(lab)
    lab.write(months(1, 5))
    (result,) = lab.run()
    assert (result.status, result.decision) == ("succeeded", "train")
    report = report_of(lab, result)
    records = report["ipip"]["blocks"]
    assert [r["block"] for r in records] == [f"2024-{m}" for m in range(1, 6)]
    assert [r["action"] for r in records] == ["trained"] + ["updated"] * 4
    assert records[0]["metrics"] is None  # nothing to score it with yet
    for record in records:
        assert record["ensembles"] == len(record["models_per_ensemble"]) <= record["p"]
        assert all(1 <= n <= record["b"] for n in record["models_per_ensemble"])
        assert 0 <= record["replaced_share"] <= 1
    assert records[0]["replaced_share"] == 1.0
    assert report["ipip"]["scored_rows"] == 4 * 400
    assert report["ipip"]["prequential"]["balanced_accuracy"] > 0.7
    challenger = report["challengers"][0]
    assert challenger["promoted"] and "prequential balanced_accuracy" in challenger["reason"]
    stored = rows_of(lab, "metrics", result.run_id)
    structure = {(r["name"], r["block"]) for r in stored if r["name"].startswith("ipip_")}
    for name in ("ipip_p", "ipip_b", "ipip_ensembles", "ipip_models_per_ensemble"):
        assert {block for n, block in structure if n == name} == {r["block"] for r in records}
    per_block = {r["block"] for r in stored if r["scope"] == "block" and r["name"] == "accuracy"}
    assert per_block == {f"2024-{m}" for m in range(2, 6)}


def test_each_block_is_scored_by_the_model_before_it_learns_that_block(lab) -> None:
    create(lab)
    lab.write(months(1, 3))
    follow = months(2, 3, start=4)
    lab.write(follow)
    first, second = lab.run()
    assert second.decision == "retrain"
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    before = registry.load(registry.get(1))  # the champion when the second file came
    block = follow[follow["month"] == "2024-4"]
    X = block.drop(columns=["target", "month"])
    expected = scores(
        block["target"].to_numpy(),
        before.predict(X),
        "classification",
        proba=Proba(before.predict_proba(X), before.classes_),
    )
    recorded = report_of(lab, second)["ipip"]["blocks"][0]["metrics"]
    assert recorded == pytest.approx(expected)
    assert lab.ws.store.models.aliases("demo")["champion"] == 2
    # the champion itself was not changed by the updates of the run
    again = registry.load(registry.get(1)).predict(block.drop(columns=["target", "month"]))
    assert np.array_equal(again, before.predict(block.drop(columns=["target", "month"])))


def test_a_single_class_block_and_a_one_row_block_are_carried_forward(lab) -> None:
    create(lab)
    frame = months(3, 4)
    negatives = frame[(frame["month"] == "2024-2")].query("target == 0")
    one_row = frame[frame["month"] == "2024-3"].query("target == 1").iloc[:1]
    rest = frame[~frame["month"].isin(["2024-2", "2024-3"])]
    lab.write(pd.concat([rest, negatives, one_row], ignore_index=True))
    (result,) = lab.run()
    assert result.status == "succeeded", result.reason
    records = {r["block"]: r for r in report_of(lab, result)["ipip"]["blocks"]}
    assert records["2024-2"]["action"] == "kept for the next block: a single class ('0')"
    assert records["2024-3"]["action"].startswith("kept for the next block: class '1'")
    assert records["2024-4"]["action"] == "updated"  # learned with the rows carried forward
    notes = " ".join(report_of(lab, result)["notes"])
    assert "2024-3 (1 row)" in notes and "2024-2 (only 0)" in notes


def test_a_last_block_that_cannot_be_learned_is_noted(lab) -> None:
    create(lab)
    frame = months(9, 3)
    last = (frame["month"] == "2024-3") & (frame["target"] == 1)
    lab.write(frame[~last])
    (result,) = lab.run()
    report = report_of(lab, result)
    assert report["ipip"]["blocks"][-1]["action"] == "kept for the next block: a single class ('0')"
    rows = int(((frame["month"] == "2024-3") & ~last).sum())
    expected = f"the last {rows:,} rows could not be learned (a single class ('0'))"
    assert any(note.startswith(expected) for note in report["notes"])


def test_multiclass_targets_are_refused_with_a_pointer_to_the_stream_kind(lab) -> None:
    create(lab)
    frame = months(4, 2)
    frame.loc[frame.index[:50], "target"] = 2
    lab.write(frame)
    (result,) = lab.run()
    assert result.status == "failed"
    assert "kind ipip is for binary targets; 'target' has 3 classes (0, 1, 2)" in result.reason
    assert "use kind stream or block" in result.reason


def test_a_missing_block_column_fails_clearly(lab) -> None:
    create(lab)
    lab.write(months(5, 2).drop(columns=["month"]))
    (result,) = lab.run()
    assert result.status == "failed"
    assert "no block column 'month' (data.block_column of this ipip pipeline)" in result.reason


def test_a_base_model_without_probabilities_is_a_clear_error(lab) -> None:
    create(lab, model={"class": "sklearn.svm.LinearSVC"})
    lab.write(months(6, 2))
    (result,) = lab.run()
    assert result.status == "failed"
    assert "kind ipip needs a base model with predict_proba; LinearSVC has none" in result.reason


def test_prediction_only_scores_without_learning(lab) -> None:
    create(lab)
    lab.write(months(7, 2))
    lab.run()
    lab.ws.update("demo", {"prediction_only": True})
    lab.write(months(8, 2, start=3))
    (result,) = lab.run()
    assert result.decision == "predict_only"
    report = report_of(lab, result)
    assert all("action" not in r for r in report["ipip"]["blocks"])
    assert set(report["blocks"]["metrics"]) == {"2024-3", "2024-4"}
    assert [v.version for v in lab.ws.store.models.versions("demo")] == [1]


def test_ipip_judged_by_average_precision_keeps_its_prequential_probabilities(lab) -> None:
    from sklearn.metrics import average_precision_score

    create(lab, decision={"metric": "average_precision"})
    lab.write(months(1, 4))
    lab.write(months(2, 2, start=5))
    first, second = lab.run()
    assert first.status == second.status == "succeeded"
    report = report_of(lab, first)
    prequential = report["ipip"]["prequential"]
    assert {"roc_auc", "average_precision", "log_loss", "brier"} <= set(prequential)
    assert report["challengers"][0]["reason"].startswith("promoted: prequential average_precision")
    card = lab.ws.store.models.get("demo", 1).card
    assert card["positive_label"] == 1
    holdout = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models).holdout(
        lab.ws.store.models.get("demo", 1)
    )
    expected = average_precision_score(holdout.y_true, holdout.proba[:, 1])
    assert prequential["average_precision"] == pytest.approx(expected)
    assert "average_precision" in report_of(lab, second)["signals"]["performance"]["summary"]


def test_a_default_ipip_spec_uses_ipips_own_tree_base(lab) -> None:
    from sklearn.tree import DecisionTreeClassifier

    from calmops.pipeline.kinds.ipip import build_ipip

    spec = create(lab, model={})
    assert spec.model.class_name == "auto" and build_ipip(spec)[-1].estimator is None
    lab.write(months(1, 2))
    (result,) = lab.run()
    assert (result.status, result.decision) == ("succeeded", "train")
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    ipip = registry.load(registry.alias("champion"))[-1]
    members = [member for ensemble in ipip.ensembles_ for member in ensemble]
    assert members and all(isinstance(m, DecisionTreeClassifier) for m in members)
    assert {m.max_depth for m in members} == {5}


def test_params_without_a_class_are_refused_for_ipip(tmp_path) -> None:
    from calmops.errors import SpecError
    from calmops.pipeline.kinds.ipip import build_ipip
    from calmops.spec import PipelineSpec

    data = {"dir": str(tmp_path), "target": "target", "block_column": "month"}
    spec = PipelineSpec.from_dict(
        {"name": "p", "kind": "ipip", "data": data, "model": {"params": {"max_depth": 3}}}
    )
    with pytest.raises(SpecError, match="name a class"):
        build_ipip(spec)
