"""Every retraining strategy through the pipeline, and the fallback when one cannot train."""

from __future__ import annotations

import pandas as pd
import pytest

from calmops.models.registry import ModelRegistry
from calmops.models.strategies import STRATEGIES, StackedModel
from calmops.spec import PipelineSpec

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 6}}
SGD = {
    "class": "sklearn.linear_model.SGDClassifier",
    "params": {"loss": "log_loss", "random_state": 0},
}


@pytest.mark.parametrize("name", STRATEGIES.names())
def test_the_spec_accepts_every_registered_strategy(name: str) -> None:
    spec = {"name": "demo", "data": {"dir": "in"}, "retrain": {"strategy": name}}
    assert PipelineSpec.from_dict(spec).retrain.strategy == name


def _drifted_run(lab, sea, model, retrain, batches=4, drift_at=2):
    lab.create(model=model, retrain=retrain)
    for frame in sea(batches, drift_at=drift_at):
        lab.write(frame)
    results = lab.run()
    assert all(r.status == "succeeded" for r in results), [r.reason for r in results]
    retrained = [r for r in results if r.decision == "retrain"]
    assert retrained, [r.decision for r in results]
    return lab.ws.store.runs.get("demo", retrained[0].run_id).report


@pytest.mark.parametrize(
    ("strategy", "model", "settings"),
    [
        ("full", TREE, {}),
        ("window", TREE, {"window_rows": 800}),
        ("incremental", SGD, {}),
        ("stacking", TREE, {}),
        ("replay", TREE, {"replay_fraction": 0.5}),
        ("recalibrate", TREE, {}),
    ],
)
def test_each_strategy_trains_a_challenger(lab, sea, strategy, model, settings) -> None:
    report = _drifted_run(lab, sea, model, {"strategy": strategy, **settings})
    challenger = report["challengers"][0]
    assert challenger["strategy"] == strategy
    card = lab.ws.store.models.get("demo", challenger["version"]).card
    assert card["strategy"] == strategy and card["parent_version"] == 1
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    model_object = registry.load(registry.get(challenger["version"]))
    row = pd.DataFrame({"x0": [1.0], "x1": [2.0], "x2": [3.0]})
    assert model_object.predict(row).shape == (1,)
    if strategy == "stacking":
        assert isinstance(model_object, StackedModel)


def test_window_trains_on_the_window_only(lab, sea) -> None:
    report = _drifted_run(lab, sea, TREE, {"strategy": "window", "window_rows": 600})
    assert report["challengers"][0]["rows"] == 600
    assert report["challengers"][0]["trained_on"] == "the last 600 rows"


def test_full_trains_on_everything_retained(lab, sea) -> None:
    report = _drifted_run(lab, sea, TREE, {"strategy": "full"})
    # two earlier batches of 1,000 rows plus this batch's 750 training rows
    assert report["challengers"][0]["rows"] == 2750


def test_an_impossible_strategy_falls_back(lab, sea) -> None:
    report = _drifted_run(lab, sea, TREE, {"strategy": "incremental", "fallback": "window"})
    assert any("incremental could not train" in note for note in report["notes"])
    assert "DecisionTreeClassifier has none" in " ".join(report["notes"])
    assert [c["strategy"] for c in report["challengers"]] == ["window"]


def test_a_rejected_hook_challenger_falls_back_to_the_named_strategy(lab, sea, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "from sklearn.dummy import DummyClassifier\n"
        "def retrain(champion, X, y, context):\n"
        "    return DummyClassifier(strategy='constant', constant=0).fit(X, y)\n"
    )
    lab.create(
        model=TREE,
        hooks=str(hooks),
        retrain={"strategy": "full", "fallback": "window"},
        decision={"retrain_on": ["data"]},
    )
    first, second = sea(2)
    lab.write(first)
    lab.write(second.assign(x0=second.x0 + 4))
    results = lab.run()
    report = lab.ws.store.runs.get("demo", results[1].run_id).report
    hook, fallback = report["challengers"]
    assert (hook["strategy"], hook["trained_on"]) == ("full", "the retrain hook on 750 rows")
    assert hook["promoted"] is False
    assert fallback["strategy"] == "window" and fallback["trained_on"].startswith("the last")


def _first_model(lab, batch, name: str, refit: bool):
    lab.create(name, model=TREE, promotion={"refit": refit})
    lab.write(batch, pipeline=name)
    (result,) = lab.run(name)
    assert result.status == "succeeded" and result.decision == "train", result.reason
    registry = ModelRegistry(lab.ws.store, name, lab.ws.paths(name).models)
    report = lab.ws.store.runs.get(name, result.run_id).report
    return report["challengers"][0], registry.load(registry.alias("champion"))


def test_the_first_model_is_refitted_with_its_holdout_rows_once_it_has_won(
    make_lab, tmp_path, sea
) -> None:
    lab = make_lab(tmp_path, folder_per_pipeline=True)
    batch = sea(1)[0]
    kept, kept_model = _first_model(lab, batch, "kept", refit=True)
    judged, judged_model = _first_model(lab, batch, "judged", refit=False)
    assert judged["rows"] < len(batch)  # judged on rows it never saw
    assert kept["rows"] == len(batch)  # then serves having learned from all of them
    assert kept["trained_on"].endswith("holdout rows it won on")
    assert kept["metrics"] == judged["metrics"]  # the judged metrics stay the holdout's
    # a different model: the tree grew on a quarter more rows
    assert kept_model[-1].tree_.node_count != judged_model[-1].tree_.node_count
