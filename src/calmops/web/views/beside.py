"""Realized performance beside what the run knew without labels (issue 18, item 11): the
label-free estimate with its interval, and the drift of the predictions and of the labels,
one row per recent batch on the Performance tab.

The numbers come from the run summaries (``estimation``, ``signals``) and, for the words,
from the ``prediction`` and ``label`` signals of the run reports.
"""

from __future__ import annotations

from typing import Any

from calmops.store import RunRecord
from calmops.web.format import clip, number
from calmops.web.reader import Reader
from calmops.web.sections import table
from calmops.web.views.common import run_metric
from calmops.web.views.identity import run_labels
from calmops.web.views.verdicts import run_drift

__all__ = ["beside_section"]

ROWS = 12


def _signal(summary: dict[str, Any], name: str) -> Any:
    fired = (summary.get("signals") or {}).get(name)
    if fired is None:
        return "—"
    return {"badge": "drift", "tone": "bad"} if fired else {"badge": "no drift", "tone": "ok"}


def _estimate(summary: dict[str, Any], metric: str) -> str:
    found = summary.get("estimation") or {}
    if found.get("estimated") is None or found.get("metric") != metric:
        return "—"
    text = f"{number(found['estimated'])} [{number(found.get('low'))}, {number(found.get('high'))}]"
    return text + ("" if found.get("trusted", True) else " (not trusted)")


def _realized(summary: dict[str, Any], value: float | None, metric: str) -> Any:
    """The realized value, amber when it falls outside the estimate's interval."""
    found = summary.get("estimation") or {}
    low, high = found.get("low"), found.get("high")
    if value is None or found.get("metric") != metric or low is None or high is None:
        return number(value)
    if value < low:
        return {"badge": f"{number(value)}, below the estimate's interval", "tone": "warn"}
    if value > high:
        return {"badge": f"{number(value)}, above the estimate's interval", "tone": "warn"}
    return number(value)


def _moved(reader: Reader, name: str, run: RunRecord) -> str:
    signals = reader.report(name, run).signals
    fired = [k for k in ("prediction", "label") if k in signals and signals[k].fired]
    said = [signals[k].summary for k in fired]
    return clip("; ".join(said), 240)


def beside_section(
    reader: Reader, name: str, chronological: list[RunRecord], metric: str | None
) -> dict[str, Any] | None:
    """The table, newest first (None without a metric or any run that tested something)."""
    if metric is None:
        return None
    runs = [r for r in reversed(chronological) if (r.summary.get("signals") or {})][:ROWS]
    if not runs:
        return None
    labels = run_labels(runs)
    rows = []
    for run in runs:
        drift = run_drift(run, reader, name)
        rows.append(
            [labels[run.id], _realized(run.summary, run_metric(run, metric), metric),
             _estimate(run.summary, metric),
             "—" if drift is None else drift.badge(), _signal(run.summary, "prediction"),
             _signal(run.summary, "label"), _moved(reader, name, run)]
        )  # fmt: skip
    return table(
        "performance-beside",
        f"Realized {metric} beside its estimate and the drift of predictions and labels",
        [
            "batch file",
            f"realized {metric}",
            f"estimated {metric} [interval]",
            "data drift",
            "prediction drift",
            "label drift",
            "what moved",
        ],  # fmt: skip
        rows,
        note="Newest first. Realized: the champion on the batch's labels; estimated: without "
        "labels (CBPE/DLE), with its interval; predictions are compared with the champion's "
        "on its held-out rows, labels with its training labels.",
    )
