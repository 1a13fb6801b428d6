"""Label-free performance estimation in the loop, on a real table (river's Bananas) split
into files: every batch with a champion gets the estimate, a labelled one the realized
values beside it, and a covariate shift toward the region where the classifier is unsure
makes the estimate fall, which on an unlabelled batch raises an ``alert``."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from calmops.models.registry import ModelRegistry
from calmops.pipeline.report import RunReport

pytest.importorskip("calmops.performance")

FOREST = {
    "class": "sklearn.ensemble.RandomForestClassifier",
    "params": {"n_estimators": 40, "min_samples_leaf": 10, "random_state": 0},
}
DECISION = {"retrain_on": ["performance", "estimated_performance"]}


def _bananas() -> pd.DataFrame:
    from river.datasets import Bananas

    rows = [{"x1": x["1"], "x2": x["2"], "target": int(y)} for x, y in Bananas()]
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def bananas() -> pd.DataFrame:
    return _bananas()


def _champion(lab):
    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    version = registry.alias("champion")
    return registry, version, registry.load(version)


def _unsure(model, pool: pd.DataFrame, rows: int) -> pd.DataFrame:
    """Rows of ``pool`` where the model's highest probability is lowest (a shift of X only)."""
    top = model.predict_proba(pool[["x1", "x2"]]).max(axis=1)
    return pool.iloc[np.argsort(top)[:rows]].reset_index(drop=True)


def _report(lab, result) -> RunReport:
    return RunReport.from_dict(lab.ws.store.runs.get("demo", result.run_id).report)


def _store_rows(lab, run_id: str, scope: str) -> dict[str, float]:
    rows = lab.ws.store.runs.get("demo", run_id)
    assert rows is not None
    import sqlalchemy as sa

    engine = lab.ws.store.engine
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT name, value FROM metrics WHERE run_id = :r AND scope = :s"),
            {"r": run_id, "s": scope},
        ).all()
    return dict(found)


@pytest.mark.slow  # five runs with bootstraps
def test_estimates_in_report_and_store_and_an_alert_on_a_shift(lab, bananas) -> None:
    lab.create(model=FOREST, decision=DECISION)
    lab.write(bananas.iloc[:2000])
    lab.run()
    registry, version, model = _champion(lab)
    card = version.card["estimator"]
    assert card["method"] == "cbpe" and card["trusted"] is True
    assert "refitted" in card["calibrated_on"]  # promotion.refit: the model saw its holdout
    assert (registry.folder(version.version) / "performance").is_dir()
    pool = bananas.iloc[2000:]
    unsure = _unsure(model, pool.iloc[1600:], 600)
    lab.write(pool.iloc[:800].drop(columns="target"))  # unlabelled, same distribution
    lab.write(pool.iloc[800:1600])  # labelled, same distribution
    lab.write(unsure.drop(columns="target"))  # unlabelled, shifted where the model is unsure
    quiet, labelled, shifted = lab.run()

    report = _report(lab, quiet)
    assert quiet.decision == "predict_only"
    section = report.estimation
    assert section.method == "cbpe" and section.trusted
    assert section.metrics["balanced_accuracy"]["realized"] is None
    assert not report.signals["estimated_performance"].fired
    stored = _store_rows(lab, quiet.run_id, "estimated")
    assert stored["balanced_accuracy"] == pytest.approx(
        section.metrics["balanced_accuracy"]["estimated"]
    )

    report = _report(lab, labelled)  # the realized value beside the estimate, within it
    value = report.estimation.metrics["accuracy"]
    realized = report.champion_metrics["accuracy"]
    assert value["realized"] == pytest.approx(realized)
    assert value["low"] <= realized <= value["high"]
    assert report.estimation.error == pytest.approx(
        report.champion_metrics["balanced_accuracy"]
        - report.estimation.metrics["balanced_accuracy"]["estimated"]
    )
    assert report.estimation.coverage == {"hits": 1, "batches": 1}
    assert _store_rows(lab, labelled.run_id, "batch")["accuracy"] == pytest.approx(realized)

    # the decay is real: the champion's accuracy on those rows, with their labels
    truth = unsure.target.to_numpy()
    real = float(np.mean(model.predict(unsure[["x1", "x2"]]) == truth))
    report = _report(lab, shifted)
    assert shifted.decision == "alert"
    assert shifted.reason.startswith("estimated balanced_accuracy fell from 0.8")
    assert "(cbpe; beyond the tolerance" in shifted.reason
    assert shifted.reason.endswith("no labels to retrain on")
    assert report.decision.triggers == ("estimated_performance",)
    estimated = report.estimation.metrics["accuracy"]
    assert real < 0.8 and abs(estimated["estimated"] - real) < 0.05
    assert report.attention and "label a sample" in report.attention[0]
    events = (lab.ws.paths("demo").logs / "events.jsonl").read_text().splitlines()
    assert any('"level": "warning"' in e and "alert" in e for e in events)
    from calmops.pipeline.attention import current_attention

    assert current_attention(lab.ws.store, "demo")[0].startswith("estimated balanced_accuracy")


@pytest.mark.slow
def test_an_untrusted_estimate_never_fires_and_says_why(lab, bananas) -> None:
    lab.create(model=FOREST, decision=DECISION)
    lab.write(bananas.iloc[:300])  # 75 held-out rows: too few to trust the calibration
    lab.run()
    _, version, model = _champion(lab)
    assert version.card["estimator"]["trusted"] is False
    lab.write(_unsure(model, bananas.iloc[300:], 400).drop(columns="target"))
    (result,) = lab.run()
    assert result.decision == "predict_only"
    signal = _report(lab, result).signals["estimated_performance"]
    assert not signal.fired
    assert signal.summary.startswith("cbpe estimate not trusted (")
    assert "held-out rows" in signal.summary


def test_a_version_without_an_estimator_gets_no_estimate(lab, bananas) -> None:
    lab.create(model=FOREST, decision=DECISION)
    lab.write(bananas.iloc[:1000])
    lab.run()
    registry, version, _ = _champion(lab)
    shutil.rmtree(registry.folder(version.version) / "performance")  # as written before
    card = dict(version.card)
    card.pop("estimator")
    with lab.ws.store.engine.begin() as conn:  # a card of that time had no estimator key
        import sqlalchemy as sa

        conn.execute(
            sa.text("UPDATE model_versions SET card = :c WHERE version = :v"),
            {"c": json.dumps(card), "v": version.version},
        )
    lab.write(bananas.iloc[1000:1500].drop(columns="target"))
    (result,) = lab.run()
    assert result.status == "succeeded" and result.decision == "predict_only"
    report = _report(lab, result)
    assert report.estimation is None and "estimated_performance" not in report.signals
    assert sum("without a performance estimator" in n for n in report.notes) == 1


def test_report_round_trip_keeps_the_section_and_reads_old_reports() -> None:
    from calmops.pipeline.performance_sections import EstimationSection

    section = EstimationSection(
        "cbpe",
        False,
        ("the model has no predict_proba",),
        0.95,
        "accuracy",
        {"accuracy": {"estimated": 0.8, "low": 0.7, "high": 0.9, "realized": None}},
        error=None,
        coverage={"hits": 4, "batches": 5},
    )
    report = RunReport("r1", "demo", "succeeded", estimation=section)
    data = json.loads(json.dumps(report.to_dict()))
    assert RunReport.from_dict(data) == report
    old = {k: v for k, v in data.items() if k != "estimation"}
    assert RunReport.from_dict(old).estimation is None


def test_decide_alerts_without_labels_and_defers_to_realized_with_them() -> None:
    from calmops.pipeline.policy import Signal, decide

    fell = Signal("estimated_performance", True, "estimated accuracy fell from 0.91 to 0.78")
    calm = Signal("performance", False, "accuracy rose")
    common = {"has_champion": True, "prediction_only": False, "paused_until": None}
    common["target"] = "y"
    retrain_on = ("estimated_performance",)
    alert = decide({"estimated_performance": fell}, retrain_on=retrain_on, has_labels=False,
                   **common)  # fmt: skip
    assert alert.kind == "alert" and alert.reason.endswith("; no labels to retrain on")
    quiet = decide({"estimated_performance": fell}, retrain_on=("data",), has_labels=False,
                   **common)  # fmt: skip
    assert quiet.kind == "predict_only"
    labelled = decide({"estimated_performance": fell, "performance": calm},
                      retrain_on=retrain_on, has_labels=True, **common)  # fmt: skip
    assert labelled.kind == "no_drift"
