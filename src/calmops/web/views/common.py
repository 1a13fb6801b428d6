"""Small helpers the views share: names of files, metrics, and safe numbers."""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Any

from calmops.store import RunRecord

__all__ = [
    "HIGHER_IS_BETTER",
    "clean",
    "file_name",
    "higher_is_better",
    "primary_metric",
    "redact",
]

#: metrics where a larger value is better (the rest: smaller is better)
HIGHER_IS_BETTER = {
    "accuracy",
    "balanced_accuracy",
    "f1",
    "f1_macro",
    "f1_weighted",
    "precision",
    "recall",
    "roc_auc",
    "r2",
    "auc",
}


def higher_is_better(metric: str) -> bool:
    """Whether a larger ``metric`` is better.

    >>> higher_is_better("holdout_balanced_accuracy"), higher_is_better("rmse")
    (True, False)
    """
    name = metric.removeprefix("holdout_")
    return name in HIGHER_IS_BETTER or name.startswith(("f1", "precision", "recall"))


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
