"""Label-free performance estimation in the loop, on a real table (river's Bananas) split
into files: every batch with a champion gets the estimate, a labelled one the realized
values beside it, and a covariate shift toward the region where the classifier is unsure
makes the estimate fall, which on an unlabelled batch raises an ``alert``."""

from __future__ import annotations

import json
import sqlite3

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
    registry = ModelRegistry(lab.ws.store, "demo", lab.folder("demo").parent / "x")
    registry = lab.ws.registry("demo") if hasattr(lab.ws, "registry") else registry
    version = registry.alias("champion")
    return registry, version, registry.load(version)


def _unsure(model, pool: pd.DataFrame, rows: int) -> pd.DataFrame:
    """Rows of ``pool`` where the model's highest probability is lowest (a shift of X only)."""
    top = model.predict_proba(pool[["x1", "x2"]]).max(axis=1)
    return pool.iloc[np.argsort(top)[:rows]].reset_index(drop=True)


def _report(lab, result) -> RunReport:
    return RunReport.from_dict(lab.ws.store.runs.get("demo", result.run_id).report)
