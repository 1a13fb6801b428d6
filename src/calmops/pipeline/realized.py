"""Recording labels that arrived later: the realized metrics of a run, and its labelled rows.

:func:`record_realized` stores a run's realized metrics (scope ``overall``, beside the
``estimated`` ones the run recorded) and its report's ``realized`` section, in the store in
one transaction and then in ``metrics/runs/<run-id>.json`` (rewritten atomically).
:func:`labelled_source_rows` finds the labelled rows in the run's source file, so they can be
kept as training data (``RetainedData``) or run through the loop as a labelled batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.errors import CalmopsError
from calmops.io import read_table
from calmops.models.metrics import primary_metric
from calmops.models.strategies import Batch
from calmops.pipeline.hooks import load_hooks
from calmops.pipeline.labels import LABEL, RunMatch, key_text, realized_metrics
from calmops.pipeline.performance_sections import RealizedSection
from calmops.pipeline.retained import RetainedData
from calmops.store import MetricRow, utcnow
from calmops.workspace import REPORTS

__all__ = ["labelled_source_rows", "record_realized", "retain_rows"]


def record_realized(
    workspace: Any,
    name: str,
    match: RunMatch,
    labels_file: str,
    keys: list[str],
    target: str,
    duplicates: int = 0,
) -> RealizedSection:
    """Compute, store and report the realized metrics of one run's labelled rows."""
    store = workspace.store
    run = store.runs.get(name, match.run_id)
    report = dict(run.report or {})
    version = (report.get("champion") or {}).get("before")
    card = {} if version is None else (store.models.get(name, version).card or {})
    task = report.get("task") or card.get("task") or "classification"
    spec = workspace.spec(name)
    metrics = realized_metrics(match.rows, task, card.get("positive_label"))
    section = RealizedSection(
        labels_file=labels_file,
        key=tuple(keys),
        target=target,
        matched=match.matched,
        logged=match.logged,
        duplicates=duplicates,
        metric=spec.decision.metric or primary_metric(task).name,
        metrics=metrics,
        model_version=version,
        at=utcnow().isoformat(),
    )
    report["realized"] = section.to_dict()
    if isinstance(report.get("estimation"), dict) and not report.get("labelled"):
        report["estimation"] = _estimate_beside(report["estimation"], metrics)
    rows = [MetricRow(k, float(v), version, scope="overall") for k, v in metrics.items()]
    store.runs.amend(name, match.run_id, rows, report, _with_realized(run.summary, section))
    text = json.dumps(report, indent=2, default=str)
    workspace.paths(name).artifacts.put(f"{REPORTS}/{match.run_id}.json", text.encode("utf-8"))
    return section


def _estimate_beside(estimation: dict[str, Any], realized: dict[str, float]) -> dict[str, Any]:
    """The estimate of an unlabelled run's report with the late realized values beside each
    metric (the latest join's), and the estimation error of its decision metric."""
    out = dict(estimation)
    metrics = {}
    for name, value in (out.get("metrics") or {}).items():
        value = dict(value)
        if name in realized:
            value["realized"] = float(realized[name])
        metrics[name] = value
    out["metrics"] = metrics
    mine = metrics.get(out.get("metric") or "") or {}
    if None not in (mine.get("realized"), mine.get("estimated")):
        out["error"] = mine["realized"] - mine["estimated"]
    return out


def _with_realized(summary: dict | None, section: RealizedSection) -> dict:
    """The run's listing summary with the realized metrics in place of none, and beside
    its estimate (so ``calmops runs`` and the dashboards show them)."""
    out = dict(summary or {})
    out["metrics"] = {**section.metrics, **(out.get("metrics") or {})}
    out.setdefault("metric", section.metric)
    estimation = out.get("estimation")
    if isinstance(estimation, dict) and estimation.get("metric") in section.metrics:
        out["estimation"] = {**estimation, "realized": section.metrics[estimation["metric"]]}
    return out


def labelled_source_rows(
    workspace: Any, name: str, run_id: str, labels: pd.DataFrame, keys: list[str], target: str
) -> pd.DataFrame:
    """The rows of the run's source file whose keys have a label, with the label as
    ``target``; raises CalmopsError when the source cannot be read again."""
    run = workspace.store.runs.get(name, run_id)
    source = run.source
    if source is None or not Path(source).is_file():
        raise CalmopsError(
            f"run {run_id}: its source {source or '(in-memory batch)'} cannot be read again "
            "(moved, deleted, or a chunk of a file), so its labelled rows cannot be kept"
        )
    frame = read_table(Path(source))
    table = pd.DataFrame({k: key_text(labels[k]) for k in keys})
    table[LABEL] = labels[target].to_numpy()
    table = table.dropna().drop_duplicates(keys, keep="last")
    texts = pd.DataFrame({k: key_text(frame[k]) for k in keys})
    found = texts.merge(table, on=keys, how="left")[LABEL].to_numpy()
    frame = frame.assign(**{target: found})
    return frame[pd.notna(found)].reset_index(drop=True)


def retain_rows(workspace: Any, name: str, run_id: str, frame: pd.DataFrame, target: str) -> int:
    """Keep labelled rows as the run's retained training data (``data/<run-id>.parquet``),
    unless the run already kept its own; the rows kept."""
    spec = workspace.spec(name)
    retained = RetainedData(workspace.store, name, workspace.paths(name).artifacts.child("data"))
    if retained.has(run_id):
        return 0
    y = frame[target].reset_index(drop=True)
    dropped = [c for c in (*spec.data.role_columns(), target) if c and c in frame]
    features = load_hooks(spec.hooks).apply_preprocess(frame.drop(columns=dropped))
    retained.write(run_id, Batch(features.reset_index(drop=True), y))
    return len(y)
