"""Pipelines judged by roc_auc, log_loss, mape and a custom metric, on real tables split in
time order into files; the reports word each change by the metric's direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes

from calmops.errors import SpecError
from calmops.models.registry import ModelRegistry
from calmops.spec import PipelineSpec

FOREST = {
    "class": "sklearn.ensemble.RandomForestClassifier",
    "params": {"n_estimators": 30, "max_depth": 4, "random_state": 0},
}
CUSTOM_HOOKS = (
    "import numpy as np\n"
    "METRIC_HIGHER_IS_BETTER = False\n"
    "def metric(y_true, y_pred, proba):\n"
    "    # a missed malignant case (label 0) costs five times a false alarm\n"
    "    return float(np.mean((y_true != y_pred) * np.where(y_true == 0, 5.0, 1.0)))\n"
)


def _batches(frame: pd.DataFrame, flip) -> list[pd.DataFrame]:
    """Three files in row order; the last one's target changed by ``flip``."""
    parts = [frame.iloc[k * 190 : (k + 1) * 190] for k in range(3)]
    parts[2] = parts[2].assign(target=flip(parts[2].target))
    return parts


def _report(lab, result) -> dict:
    return lab.ws.store.runs.get("demo", result.run_id).report


@pytest.mark.slow  # three runs with bootstraps of probability metrics
@pytest.mark.parametrize(
    ("metric", "said"),
    [
        ("roc_auc", "roc_auc fell from 0.9"),
        ("log_loss", "log_loss rose from 0."),
        ("custom", "custom rose from 0."),
    ],
)
def test_a_classifier_judged_by_the_chosen_metric(lab, tmp_path, metric, said) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(CUSTOM_HOOKS)
    lab.create(model=FOREST, decision={"metric": metric}, hooks=str(hooks))
    for part in _batches(load_breast_cancer(as_frame=True).frame, lambda y: 1 - y):
        lab.write(part)
    results = lab.run()
    assert [r.status for r in results] == ["succeeded"] * 3
    first, last = _report(lab, results[0]), _report(lab, results[2])
    assert first["challengers"][0]["reason"].startswith(f"first model: {metric} ")
    assert {"roc_auc", "average_precision", "log_loss", "brier", metric} <= set(
        first["challengers"][0]["metrics"]
    )
    assert results[2].decision == "retrain"
    worse = "drop" if metric == "roc_auc" else "increase"
    assert (
        said in results[2].reason and f"(worse; 99% interval of the {worse} +" in results[2].reason
    )
    reason = last["challengers"][0]["reason"]
    assert reason.startswith(f"promoted: {metric} ") and "vs the champion's" in reason
    assert "(better; 99% interval of the " in reason
    card = lab.ws.store.models.get("demo", 1).card
    assert card["positive_label"] == 1  # 0/1 labels: 1, kept for the next versions
    assert lab.ws.store.models.get("demo", 2).card["positive_label"] == 1
    holdout = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models).holdout(
        lab.ws.store.models.get("demo", 1)
    )
    assert holdout.proba.shape == (len(holdout.y_true), 2) and list(holdout.classes) == [0, 1]


def test_a_regressor_judged_by_mape(lab) -> None:
    frame = load_diabetes(as_frame=True).frame
    lab.create(
        model={"class": "sklearn.linear_model.LinearRegression"},
        decision={"metric": "mape"},
        promotion={"thresholds": {"mape": 5.0}},
    )
    for part in _batches(frame, lambda y: y * 4):
        lab.write(part)
    results = lab.run()
    assert [r.status for r in results] == ["succeeded"] * 3
    assert results[2].decision == "retrain"
    performance = _report(lab, results[2])["signals"]["performance"]
    assert performance["fired"] and performance["summary"].startswith("mape rose from 0.")
    assert "(worse; 99% interval of the increase +" in performance["summary"]
    metrics = _report(lab, results[1])["metrics"]["champion_on_batch"]
    assert set(metrics) == {"rmse", "mae", "r2", "mape"} and 0 < metrics["mape"] < 1


def test_custom_needs_the_metric_hook_when_the_spec_is_validated(tmp_path) -> None:
    base = {"name": "demo", "data": {"dir": str(tmp_path), "target": "target"}}
    with pytest.raises(SpecError, match="'custom' needs a hooks file defining metric"):
        PipelineSpec.from_dict(base | {"decision": {"metric": "custom"}})
    hooks = tmp_path / "hooks.py"
    hooks.write_text("def metric(y_true, y_pred, proba):\n    return 0.0\n")
    with pytest.raises(SpecError, match="does not define METRIC_HIGHER_IS_BETTER"):
        PipelineSpec.from_dict(base | {"decision": {"metric": "custom"}, "hooks": str(hooks)})
    with pytest.raises(SpecError, match="promotion.thresholds: 'custom' needs"):
        PipelineSpec.from_dict(base | {"promotion": {"thresholds": {"custom": 0.1}}})
    hooks.write_text(CUSTOM_HOOKS)
    spec = PipelineSpec.from_dict(base | {"decision": {"metric": "custom"}, "hooks": str(hooks)})
    assert spec.decision.metric == "custom"
    with pytest.raises(SpecError, match="no metric 'f2score'; choose from custom, accuracy"):
        PipelineSpec.from_dict(base | {"decision": {"metric": "f2score"}})


def test_a_probability_metric_with_a_model_without_predict_proba_fails_the_first_run(
    lab,
) -> None:
    lab.create(model={"class": "sklearn.svm.LinearSVC"}, decision={"metric": "roc_auc"})
    lab.write(load_breast_cancer(as_frame=True).frame.iloc[:200])
    result = lab.run()[0]
    assert result.status == "failed"
    assert "decision.metric roc_auc needs predicted probabilities" in result.reason
    assert "(LinearSVC) has no predict_proba" in result.reason


def test_the_positive_label_of_the_spec_is_used_and_kept(lab) -> None:
    frame = load_breast_cancer(as_frame=True).frame.iloc[:300]
    named = frame.assign(target=np.where(frame.target == 0, "malignant", "benign"))
    lab.create(model=FOREST, decision={"positive_label": "malignant"})
    lab.write(named)
    assert lab.run()[0].status == "succeeded"
    card = lab.ws.store.models.get("demo", 1).card
    assert card["positive_label"] == "malignant"


def test_a_positive_label_that_is_not_a_label_fails_the_first_run_clearly(lab) -> None:
    lab.create(model=FOREST, decision={"positive_label": "sick"})
    lab.write(load_breast_cancer(as_frame=True).frame.iloc[:200])
    result = lab.run()[0]
    assert result.status == "failed"
    assert "decision.positive_label: 'sick' is not a label of this target" in result.reason
