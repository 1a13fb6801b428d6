"""The block kind end to end: blocks in natural order, drift and metrics per block, the
block-wise router, and bad blocks."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import sqlalchemy as sa

from calmops.data_generators import Blocks, BlockSet, generate_stream, inject
from calmops.models.registry import ModelRegistry
from calmops.pipeline.kinds import natural_order

TREE = {
    "class": "sklearn.tree.DecisionTreeClassifier",
    "params": {"max_depth": 6, "random_state": 0},
}


def blocks_frame(seed: int, names: list[str], rows: int = 300, flipped=()) -> pd.DataFrame:
    """SEA rows in blocks called ``names``; labels are reversed in the ``flipped`` blocks."""
    data = generate_stream(
        "sea", rows * len(names), seed=seed, blocks=Blocks(n_blocks=len(names))
    ).data
    data["block"] = np.asarray(names, dtype=object)[data["block"].to_numpy()]
    reverse = data["block"].isin(list(flipped))
    data.loc[reverse, "target"] = 1 - data.loc[reverse, "target"]
    return data


def create(lab, model=TREE, **block):
    return lab.create(
        kind="block",
        data={"block_column": "block"},
        model=model,
        block=block,
        drift={"alpha": 0.01},
        decision={"retrain_on": ["data", "performance"]},
    )


def rows_of(lab, table: str, run_id: str) -> list[dict]:
    from calmops.store.sql import tables

    with lab.ws.store.engine.connect() as connection:
        query = sa.select(getattr(tables, table)).where(getattr(tables, table).c.run_id == run_id)
        return [dict(row._mapping) for row in connection.execute(query)]


def report_of(lab, result) -> dict:
    return lab.ws.store.runs.get("demo", result.run_id).report


def test_blocks_run_in_natural_order_with_metrics_per_block(lab) -> None:
    create(lab)
    names = [f"b{i}" for i in range(1, 12)]
    lab.write(blocks_frame(1, names).sample(frac=1, random_state=0))  # rows shuffled
    lab.write(blocks_frame(2, names))
    first, second = lab.run()
    assert (first.decision, second.status) == ("train", "succeeded")
    report = report_of(lab, second)
    blocks = report["blocks"]
    assert blocks["order"] == names  # b2 before b10
    assert blocks["rows"] == dict.fromkeys(names, 300)
    assert set(blocks["metrics"]) == set(names)
    assert all(m["accuracy"] > 0.8 for m in blocks["metrics"].values())
    assert report_of(lab, first)["blocks"]["evaluation"] == {"mode": "last", "blocks": ["b11"]}
    assert set(report_of(lab, first)["blocks"]["challengers"]["1"]) == {"b11"}
    held = [r for r in rows_of(lab, "metrics", first.run_id) if r["scope"] == "holdout"]
    assert {r["block"] for r in held} == {None, "b11"}  # overall and per block
    stored = rows_of(lab, "metrics", second.run_id)
    by_block = {r["block"] for r in stored if r["scope"] == "block"}
    assert by_block == set(names)
    overall = [r for r in stored if r["scope"] == "batch" and r["name"] == "accuracy"]
    assert len(overall) == 1
    saved = json.loads((lab.ws.paths("demo").runs / f"{second.run_id}.json").read_text())
    assert saved["blocks"]["decisions"]["b1"]["action"] in ("keep", "retrain (global model)")


def test_natural_order_of_numbers_and_dates() -> None:
    assert natural_order(["site10", "site9", "site1"]) == ["site1", "site9", "site10"]
    assert natural_order([12, 3, 7.0]) == ["3", "7", "12"]
    assert natural_order(["2024-02-01", "2023-12-31", "2024-01-15"])[0] == "2023-12-31"
    assert natural_order(["01 Mar 2024", "15 Feb 2024"]) == ["15 Feb 2024", "01 Mar 2024"]


def test_drift_injected_into_one_block_is_found_in_that_block_only(lab) -> None:
    create(lab)
    names = ["b1", "b2", "b3", "b4", "b5", "b6"]
    lab.write(blocks_frame(1, names))
    drifted = inject(
        blocks_frame(2, names),
        "shift",
        columns=["x0", "x1"],
        selector=BlockSet("block", ("b4",)),
        magnitude=1.0,
        seed=0,
    ).data
    lab.write(drifted)
    _, second = lab.run()
    drift = report_of(lab, second)["blocks"]["drift"]
    against_reference = {b: e["reference"]["drifted"] for b, e in drift.items()}
    assert against_reference == {
        "b1": [],
        "b2": [],
        "b3": [],
        "b4": ["x0", "x1"],
        "b5": [],
        "b6": [],
    }
    # against the block before, the change shows where it starts and where it ends
    against_previous = {b: (e["previous"] or {}).get("drifted") for b, e in drift.items()}
    assert drift["b1"]["previous"]["block"] == "b6 (previous file)"
    assert against_previous == {
        "b1": [],
        "b2": [],
        "b3": [],
        "b4": ["x0", "x1"],
        "b5": ["x0", "x1"],
        "b6": [],
    }
    stored = rows_of(lab, "drift_results", second.run_id)
    flagged = {(r["scope"], r["block"]) for r in stored if r["drift"] and r["block"]}
    assert flagged == {("block", "b4"), ("previous", "b4"), ("previous", "b5")}
    decisions = report_of(lab, second)["blocks"]["decisions"]
    assert [b for b, d in decisions.items() if d["flagged"]] == ["b4"]
    assert "data drift in 1 of 6 blocks: b4" in report_of(lab, second)["signals"]["data"]["summary"]


def test_the_block_matrix_only_on_request_and_capped(lab) -> None:
    create(lab, matrix=True, matrix_cap=3)
    lab.write(blocks_frame(1, ["b1", "b2", "b3", "b4", "b5"]))
    (result,) = lab.run()
    matrix = report_of(lab, result)["blocks"]["matrix"]
    assert matrix["blocks"] == ["b3", "b4", "b5"] and matrix["left_out"] == 2
    assert len(matrix["share_drifted"]) == 3 and matrix["share_drifted"][1][1] == 0.0


def test_no_matrix_by_default(lab) -> None:
    create(lab)
    lab.write(blocks_frame(1, ["b1", "b2", "b3"]))
    (result,) = lab.run()
    assert "matrix" not in report_of(lab, result)["blocks"]


def _champion(lab):
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    return registry.load(registry.alias("champion"))


def test_the_router_sends_rows_of_each_block_to_its_model(lab) -> None:
    create(lab, router="blockwise", evaluation="split")
    names = ["b1", "b2", "b3"]
    lab.write(blocks_frame(1, names, flipped=["b2"]))
    (result,) = lab.run()
    assert result.decision == "train"
    router = _champion(lab)
    probe = blocks_frame(5, names, flipped=["b2"])
    X = probe.drop(columns=["target"])
    assert router.route(X).tolist() == probe["block"].tolist()
    for block in names:  # a global model cannot fit b2's reversed labels; its own model can
        rows = probe["block"] == block
        accuracy = np.mean(router.predict(X[rows]) == probe.loc[rows, "target"])
        assert accuracy > 0.9, (block, accuracy)
    card = lab.ws.store.models.get("demo", 1).card
    assert [f["name"] for f in card["features"]][-1] == "block"  # serving needs the block id


def test_an_unseen_block_uses_the_fallback_and_only_new_blocks_are_retrained(lab) -> None:
    create(lab, router="blockwise", evaluation="split")
    lab.write(blocks_frame(1, ["b1", "b2", "b3"], flipped=["b2"]))
    lab.write(blocks_frame(2, ["b1", "b4"], flipped=["b4"]))
    first, second = lab.run()
    report = report_of(lab, second)
    assert report["blocks"]["routes"] == {"b1": "b1", "b4": "fallback"}
    assert second.decision == "retrain"  # the fallback does badly on b4's reversed labels
    assert (
        "balanced_accuracy fell from" in second.reason
        and "(worse; 99% interval of the drop" in second.reason
    )
    assert report["blocks"]["decisions"]["b4"]["new"] is True
    assert report["blocks"]["router"][0]["retrained"] == ["b4"]
    assert report["blocks"]["decisions"]["b1"]["action"] == "keep"
    assert report["blocks"]["decisions"]["b4"]["action"] == "retrain"
    assert report["blocks"]["evaluation"] == {"mode": "split", "blocks": ["b4"]}
    assert report["challengers"][0]["promoted"], report["challengers"][0]["reason"]
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    old, new = (registry.load(registry.get(v)) for v in (1, 2))
    assert sorted(new.block_models_) == ["b1", "b2", "b3", "b4"]
    probe = blocks_frame(9, ["b1", "b2", "b3"]).drop(columns=["target"])
    for block in ("b1", "b2", "b3"):  # untouched blocks keep their models
        rows = probe["block"] == block
        assert np.array_equal(
            old.block_models_[block].predict(probe[rows].drop(columns=["block"])),
            new.block_models_[block].predict(probe[rows].drop(columns=["block"])),
        )


def test_an_unseen_block_can_use_the_vote(lab) -> None:
    create(lab, router="blockwise", unseen="vote")
    lab.write(blocks_frame(1, ["b1", "b2", "b3"]))
    lab.write(blocks_frame(2, ["b9"]))
    _, second = lab.run()
    assert report_of(lab, second)["blocks"]["routes"] == {"b9": "vote"}
    assert second.decision == "retrain"  # no drift, but a new block gets its own model
    assert second.reason == "new blocks without a model of their own: b9"


def test_a_missing_block_column_fails_the_run_and_names_it(lab) -> None:
    create(lab)
    lab.write(blocks_frame(1, ["b1", "b2"]).drop(columns=["block"]))
    lab.write(blocks_frame(2, ["b1", "b2"]))
    bad, good = lab.run()
    assert bad.status == "failed"
    assert "no block column 'block' (data.block_column of this block pipeline)" in bad.reason
    assert "x0, x1, x2, target" in bad.reason
    assert good.status == "succeeded" and good.decision == "train"


def test_a_single_class_block_and_a_one_row_block_get_clear_notes(lab) -> None:
    create(lab, router="blockwise", evaluation="split")
    frame = blocks_frame(1, ["b1", "b2", "b3"])
    one_class = frame[frame["block"] == "b3"].assign(target=1)
    one_row = frame.iloc[:1].assign(block="b4")
    lab.write(pd.concat([frame[frame["block"] != "b3"], one_class, one_row], ignore_index=True))
    (result,) = lab.run()
    assert result.status == "succeeded", result.reason
    report = report_of(lab, result)
    notes = " ".join(report["notes"])
    assert "fewer than 20 rows get no drift test and no model of their own: b4 (1 row)" in notes
    assert "hold a single class" in notes and "b3 (only 1)" in notes
    router = _champion(lab)
    assert sorted(router.block_models_) == ["b1", "b2"]
    assert router.skipped_ == {"b3": "a single class (1)", "b4": "1 row (fewer than 20)"}


def test_evaluation_on_the_last_blocks_or_a_seeded_split_within_blocks(
    lab, make_lab, tmp_path
) -> None:
    create(lab, eval_blocks=2)
    lab.write(blocks_frame(1, ["b1", "b2", "b3", "b4"]))
    (last,) = lab.run()
    assert report_of(lab, last)["blocks"]["evaluation"] == {"mode": "last", "blocks": ["b3", "b4"]}
    split_runs = []
    for attempt in ("a", "b"):  # the same seeds: the same rows held out, the same model
        other = make_lab(tmp_path / attempt)
        create(other, evaluation="split")
        other.write(blocks_frame(1, ["b1", "b2", "b3", "b4"]))
        (result,) = other.run()
        split_runs.append(report_of(other, result))
    evaluation = split_runs[0]["blocks"]["evaluation"]
    assert evaluation == {"mode": "split", "blocks": ["b1", "b2", "b3", "b4"]}
    assert set(split_runs[0]["blocks"]["challengers"]["1"]) == {"b1", "b2", "b3", "b4"}
    assert split_runs[0]["challengers"][0]["metrics"] == split_runs[1]["challengers"][0]["metrics"]
    assert split_runs[0]["challengers"][0]["rows"] == 4 * 300 - 4 * 75  # 25% of each block


def test_a_regression_router_with_a_relation_per_block(lab) -> None:
    rng = np.random.default_rng(0)
    frames = []
    for block, slope in (("north", 3.0), ("south", -3.0)):
        x = rng.normal(size=400)
        frames.append(pd.DataFrame({"block": block, "x": x, "target": slope * x}))
    lab.create(
        kind="block",
        data={"block_column": "block"},
        model={"class": "sklearn.linear_model.LinearRegression"},
        block={"router": "blockwise", "evaluation": "split"},
    )
    lab.write(pd.concat(frames, ignore_index=True))
    (result,) = lab.run()
    assert result.decision == "train", result.reason
    per_block = report_of(lab, result)["blocks"]["challengers"]["1"]
    assert per_block["north"]["rmse"] < 1e-6 and per_block["south"]["rmse"] < 1e-6
