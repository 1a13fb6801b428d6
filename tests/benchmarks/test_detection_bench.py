"""``benchmarks/detection_bench.py --quick`` on one tiny stream, figures checked where the
answer is known."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_quick_run_on_one_abrupt_stream(tmp_path, capsys):
    import detection_bench

    out = tmp_path / "figures.json"
    code = detection_bench.main(
        [
            "--quick",
            "--streams", "agrawal-abrupt",
            "--batches", "10",
            "--batch-size", "200",
            "--methods", "default",
            "--real", "none",
            "--jobs", "1",
            "--json", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    figures = json.loads(out.read_text())
    methods = figures["methods"]
    assert set(methods) == {"default", "never-retrain", "every-batch", "original-rule"}

    never = methods["never-retrain"]["all"]
    assert never["retrains_per_run"] == 0 and never["f1"] == 0.0 and never["detected"] == 0

    # change at batch 5 of 10: every-batch retrains on 1..9, 5..7 are hits, 6 are false
    every = methods["every-batch"]["all"]
    assert every["retrains_per_run"] == 9
    assert every["f1"] == pytest.approx(0.5) and every["mean_delay"] == 0
    assert every["false_per_20_stationary"] == pytest.approx(20.0)

    runs = {r["method"]: r for r in figures["runs"]}
    assert runs["default"]["changes"] == [[5, 5]]
    assert runs["default"]["decisions"][0] == "train" and len(runs["default"]["scores"]) == 10
    assert all(0 <= s <= 1 for s in runs["default"]["scores"][1:])
    assert [t["target"] for t in figures["targets"]["default"]][0] == "detection F1 >= 0.9"
    assert "Targets of issue 13" in capsys.readouterr().out


def test_plan_runs_a_strategy_equal_to_the_default_once():
    import detection_bench

    from calmops.spec import PipelineSpec

    spec = {"name": "x", "data": {"dir": "/tmp", "target": "y"}}
    default = PipelineSpec.from_dict(spec).retrain.strategy
    both = detection_bench.parse_args(
        ["--quick", "--methods", f"default,{default}", "--real", "none"]
    )
    tasks, same = detection_bench.plan(both)
    assert same == {default: "default"}
    assert sorted({t.method.name for t in tasks if t.method}) == ["default"]
    assert len(tasks) == 2 * 2  # 2 streams x 1 seed x (default + baselines)

    alone = detection_bench.parse_args(["--quick", "--methods", default, "--real", "none"])
    tasks, same = detection_bench.plan(alone)
    assert same == {} and sorted({t.method.name for t in tasks if t.method}) == [default]


def test_every_registered_strategy_is_a_method():
    from detection_kit.drive import pipeline_methods

    from calmops.models.strategies import STRATEGIES

    names = [m.name for m in pipeline_methods("tree")]
    assert names == ["default", *STRATEGIES.names()]
