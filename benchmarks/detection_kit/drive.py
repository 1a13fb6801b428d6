"""Driving CalmOps pipelines in-process, the way ``calmops run NAME --file PATH`` does.

Each method is a pipeline spec: ``default`` leaves everything but the data, the model and
the seed at the spec's defaults (whatever the code being run makes them); a strategy method
sets only ``retrain.strategy``. Strategies come from the registry, so new ones appear here
by themselves. A method whose spec equals the default's is not run twice (``same_as``).
Every batch is written as a parquet file into the pipeline's folder and run with
``Runner.run_file``; the figures come from the run report in the store.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.models.factory import build_model
from calmops.models.strategies import STRATEGIES
from calmops.pipeline.runner import Runner
from calmops.settings import Settings
from calmops.spec import PipelineSpec
from calmops.workspace import Workspace
from detection_kit.streams import TARGET
from detection_kit.trace import Trace

__all__ = ["MODELS", "Method", "PipelineDriver", "model_section", "pipeline_methods"]

#: --model choices: the spec's ``model`` section (anything else is taken as a dotted class)
MODELS: dict[str, dict[str, Any]] = {
    "tree": {
        "class": "sklearn.tree.DecisionTreeClassifier",
        "params": {"min_samples_leaf": 5, "random_state": 0},
    },
    "logistic": {"class": "sklearn.linear_model.LogisticRegression", "params": {"max_iter": 500}},
    "forest": {
        "class": "sklearn.ensemble.RandomForestClassifier",
        "params": {"n_estimators": 50, "min_samples_leaf": 3, "random_state": 0, "n_jobs": 1},
    },
}


def model_section(model: str) -> dict[str, Any]:
    """The spec's ``model`` section for a ``--model`` value."""
    return MODELS.get(model, {"class": model, "params": {}})


def unfitted_model(model: str) -> Any:
    """The model a pipeline with this ``--model`` builds (for the baselines)."""
    return build_model(PipelineSpec.from_dict(_spec("m", "/tmp", model, 0, {})).model)


@dataclass(frozen=True)
class Method:
    """A pipeline configuration: spec overrides, and the method it duplicates if any."""

    name: str
    overrides: dict[str, Any]
    same_as: str | None = None


def _spec(name: str, folder: str, model: str, seed: int, overrides: dict) -> dict[str, Any]:
    return {
        "name": name,
        "data": {"dir": folder, "target": TARGET},
        "model": model_section(model),
        "seed": seed,
        **overrides,
    }


def pipeline_methods(model: str, strategies: Sequence[str] | None = None) -> list[Method]:
    """``default`` and one method per retrain strategy (all registered ones when None)."""
    names = list(STRATEGIES.names() if strategies is None else strategies)
    comparable = _comparable(model, {})
    methods = [Method("default", {})]
    for strategy in names:
        overrides = {"retrain": {"strategy": strategy}}
        same = "default" if _comparable(model, overrides) == comparable else None
        methods.append(Method(strategy, overrides, same))
    return methods


def _comparable(model: str, overrides: dict) -> dict[str, Any]:
    return PipelineSpec.from_dict(_spec("m", "/tmp", model, 0, overrides)).to_dict()


class PipelineDriver:
    """One workspace (embedded SQLite store) under ``root`` for many benchmark pipelines."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.workspace = Workspace(Settings(home=self.root / "home"))

    def run(
        self, name: str, method: Method, model: str, seed: int, batches: Sequence[pd.DataFrame]
    ) -> Trace:
        """Create pipeline ``name``, run every batch through it, read the reports, delete it."""
        ws = self.workspace
        folder = self.root / "incoming" / name
        ws.create(PipelineSpec.from_dict(_spec(name, str(folder), model, seed, method.overrides)))
        started = time.perf_counter()
        reports = []
        try:
            with Runner(ws, name) as runner:
                for i, batch in enumerate(batches):
                    path = folder / f"batch_{i:03d}.parquet"
                    batch.to_parquet(path, index=False)
                    result = runner.run_file(path)
                    reports.append(ws.store.runs.get(name, result.run_id).report)
        finally:
            seconds = time.perf_counter() - started
            ws.delete(name)
            shutil.rmtree(folder, ignore_errors=True)
        return trace_of(method.name, reports, seconds)


def trace_of(method: str, reports: Sequence[dict[str, Any]], seconds: float = 0.0) -> Trace:
    """A :class:`Trace` from the run reports of one pipeline, batch by batch."""
    decisions, scores, retrains, promotions = [], [], [], []
    failed = 0
    for i, report in enumerate(reports):
        decision = (report.get("decision") or {}).get("kind") or "failed"
        failed += report.get("status") == "failed"
        decisions.append(decision)
        metrics = (report.get("metrics") or {}).get("champion_on_batch") or {}
        scores.append(metrics.get("balanced_accuracy") if i else None)
        champion = report.get("champion") or {}
        if i and decision == "retrain":
            retrains.append(i)
        if i and champion.get("after") not in (None, champion.get("before")):
            promotions.append(i)
    return Trace(
        method,
        tuple(decisions),
        tuple(scores),
        tuple(retrains),
        tuple(promotions),
        failed=failed,
        paused=decisions.count("paused"),
        seconds=seconds,
    )
