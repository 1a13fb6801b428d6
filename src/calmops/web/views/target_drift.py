"""Prediction and label drift on the Drift tab: each test's strength over runs, beside the
features' heatmap, and the latest batch's tests with the sentence that explains them.

The numbers come from the ``prediction`` and ``label`` signals of the run reports
(``calmops.pipeline.target_drift``).
"""

from __future__ import annotations

import math
from typing import Any

from calmops.web import figures
from calmops.web.format import number, test_label
from calmops.web.sections import badge, figure, notice, table
from calmops.web.views.common import file_name
from calmops.web.views.identity import run_labels

__all__ = ["SIGNALS", "target_sections"]

#: the signals shown, with their titles
SIGNALS = {"prediction": "predictions", "label": "labels"}


def target_sections(
    reports: list[tuple[Any, Any]], focus: str | None = None
) -> list[dict[str, Any]]:
    """The sections for ``(run, report)`` pairs, oldest first (the runs of the heatmap); the
    table is of run ``focus`` (default: the newest)."""
    found = [
        (i, run, report.signals[name], name)
        for i, (run, report) in enumerate(reports)
        for name in SIGNALS
        if name in report.signals and report.signals[name].details.get("tests")
    ]
    if not found:
        return [
            notice(
                "drift-target",
                "No prediction or label drift tested yet: the champion's predictions (and the "
                "labels, when a batch has them) are compared with those it was trained with.",
            )
        ]
    return [
        figure(
            "drift-target-history",
            "Prediction and label drift by run",
            _history(found, run_labels([run for run, _ in reports])),
            note="Each test's corrected p-value as -log10(p); the dashed line is alpha. "
            "A red cross: significant and material (drifted). Hover for what moved.",
        ),
        _latest(_until(reports, focus)),
    ]


def _until(reports: list[tuple[Any, Any]], focus: str | None) -> list[tuple[Any, Any]]:
    """``reports`` up to and including run ``focus`` (all of them when it is not there)."""
    at = next((i for i, (run, _) in enumerate(reports) if run.id == focus), None)
    return reports if at is None else reports[: at + 1]


def _history(found, names: dict[str, str]) -> dict[str, Any]:
    """Each test's strength by run, the runs named by file as on the Runs tab."""
    order = list(names.values())
    series: dict[str, dict[str, list]] = {}
    drifted: dict[str, list] = {"x": [], "y": [], "text": []}
    alpha = 0.05
    for _, run, signal, name in found:
        alpha = signal.details.get("alpha", alpha)
        for test in signal.details["tests"]:
            key = f"{SIGNALS[name]}: {test['column']}"
            s = series.setdefault(key, {"x": [], "y": [], "text": []})
            s["x"].append(names[run.id])
            s["y"].append(_score(test.get("p_value")))
            s["text"].append(f"{file_name(run.source)}<br>{test.get('sentence', '')}")
            if test.get("drift"):
                drifted["x"].append(names[run.id])
                drifted["y"].append(s["y"][-1])
                drifted["text"].append(f"{key}<br>{s['text'][-1]}")
    lines = [
        {"name": key, "x": s["x"], "y": s["y"], "text": s["text"], "hoverinfo": "text+name"}
        for key, s in series.items()
    ]
    if drifted["x"]:
        lines.append(
            {"name": "drifted", "mode": "markers", "hoverinfo": "text", **drifted,
             "marker": {"color": "#dc2626", "symbol": "x", "size": 13}}
        )  # fmt: skip
    level = -math.log10(alpha)
    lines.append(
        {"name": f"alpha {alpha:g}", "x": [order[0], order[-1]], "y": [level, level],
         "mode": "lines", "line": {"dash": "dash", "color": "#dc2626"}, "hoverinfo": "skip"}
    )  # fmt: skip
    fig = figures.line(lines, "-log10(p)", height=320)
    fig["layout"]["xaxis"] |= {"title": {"text": "batch file, oldest to newest"},
                               "type": "category", "categoryorder": "array",
                               "categoryarray": order, "automargin": True}  # fmt: skip
    fig["layout"]["yaxis"]["rangemode"] = "tozero"
    return fig


def _score(p: float | None) -> float | None:
    if p is None:
        return None
    return round(min(-math.log10(max(p, 1e-12)), 12.0), 4)


def _latest(reports: list[tuple[Any, Any]]) -> dict[str, Any]:
    rows = []
    for name, title in SIGNALS.items():
        latest = next((r.signals[name] for _, r in reversed(reports) if name in r.signals), None)
        if latest is None:
            continue
        for test in latest.details.get("tests") or ():
            verdict = "drift" if test.get("drift") else "no_drift"
            rows.append(
                [title, test.get("column"), test_label(test.get("test")),
                 number(test.get("statistic")), number(test.get("p_value")),
                 f"{test_label(test.get('effect'))} {number(test.get('effect_size'))}",
                 badge(verdict),
                 test.get("sentence", "")]
            )  # fmt: skip
    return table(
        "drift-target",
        "Predictions and labels, this batch (against the champion's reference)",
        ["signal", "tested", "test", "statistic", "p-value (corrected)", "effect size",
         "verdict", "what moved"],
        rows,
        note="Predictions are compared with the champion's predictions on its held-out rows, "
        "labels with its training labels. They retrain only when listed in "
        "decision.retrain_on.",
    )  # fmt: skip
