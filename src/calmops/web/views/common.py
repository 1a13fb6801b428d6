"""Small helpers the views share: names of files, metrics, and safe numbers."""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Any

from calmops.store import RunRecord
from calmops.web.format import when

__all__ = [
    "clean",
    "file_name",
    "higher_is_better",
    "primary_metric",
    "redact",
    "run_brief",
]


def higher_is_better(metric: str) -> bool:
    """Whether a larger ``metric`` is better (CalmOps' metrics know; others by their name).

    >>> higher_is_better("holdout_balanced_accuracy"), higher_is_better("rmse")
    (True, False)
    """
    from calmops.models.metrics import METRICS

    name = metric.removeprefix("holdout_")
    if name in METRICS:
        return METRICS.get(name).higher_is_better
    return name.startswith(("f1", "precision", "recall", "roc_auc", "auc", "accuracy", "r2"))


def run_brief(run: RunRecord | None) -> dict[str, Any] | None:
    """A run as the pages list it: id, status, decision, when, and the file's name only."""
    if run is None:
        return None
    return {
        "id": run.id,
        "status": run.status,
        "decision": run.decision,
        "at": when(run.finished_at or run.started_at),
        "file": file_name(run.source),
    }


def file_name(source: str | None) -> str:
    """Only the name of a batch file: pages never show server paths.

    >>> file_name("/srv/data/in/batch_3.csv"), file_name(None)
    ('batch_3.csv', '—')
    """
    return PurePath(source).name if source else "—"


def primary_metric(spec: dict[str, Any], runs: list[RunRecord]) -> str | None:
    """The metric a pipeline is judged by: the spec's, else what its runs recorded.

    >>> primary_metric({"decision": {"metric": "f1_macro"}}, [])
    'f1_macro'
    """
    chosen = (spec.get("decision") or {}).get("metric")
    if chosen:
        return chosen
    for run in runs:
        if run.summary.get("metric"):
            return run.summary["metric"]
    return None


def clean(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (JSON has no NaN).

    >>> clean([1.0, float("nan"), {"a": float("inf")}])
    [1.0, None, {'a': None}]
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def redact(text: str | None, *paths: Any) -> str:
    """``text`` with server folders replaced by short names.

    >>> redact("cannot read /srv/ws/pipelines/a/x.csv", "/srv/ws")
    'cannot read <workspace>/pipelines/a/x.csv'
    """
    if not text:
        return ""
    for path in paths:
        if path:
            text = text.replace(str(path), "<workspace>")
    return text


def run_metric(run: RunRecord, metric: str | None) -> float | None:
    """The champion's ``metric`` on the batch of ``run`` (None when not measured)."""
    if metric is None:
        return None
    value = (run.summary.get("metrics") or {}).get(metric)
    return clean(float(value)) if isinstance(value, int | float) else None
