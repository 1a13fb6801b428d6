"""A feature's drift over the runs, as a chart: the measure its drift is judged on, at each
run's time, with its threshold (a visible mark even with one run)."""

from __future__ import annotations

from typing import Any

from calmops.web.format import test_label
from calmops.web.views.common import clean, file_name
from calmops.web.views.runs_metric import chart_time

__all__ = ["history_traces", "measure"]


def measure(entry: dict[str, Any]) -> tuple[str, float | None, float | None, bool]:
    """What a feature's drift is judged on, with its threshold: the effect size when the
    test has one (drift needs it to reach its threshold), else the statistic of a distance
    test, else the (corrected) p-value against alpha. ``(name, value, threshold, log)``.

    >>> measure({"test": "ks", "p_value": 0.01, "threshold": 0.05,
    ...           "effect": {"name": "wasserstein", "value": 0.3, "threshold": 0.1}})
    ('Wasserstein (effect size)', 0.3, 0.1, False)
    >>> measure({"test": "chi2", "p_value": 0.2, "threshold": 0.05})
    ('chi-square p-value (corrected)', 0.2, 0.05, True)
    """
    effect = entry.get("effect") or {}
    if effect.get("value") is not None and effect.get("threshold") is not None:
        name = f"{test_label(effect.get('name'))} (effect size)"
        return name, clean(effect["value"]), clean(effect["threshold"]), False
    test = entry.get("test")
    if entry.get("p_value") is None:
        return (
            f"{test_label(test)} statistic",
            clean(entry.get("statistic")),
            clean(entry.get("threshold")),
            False,
        )
    alpha = (entry.get("significance") or {}).get("alpha", entry.get("threshold"))
    value = clean(entry.get("p_value"))
    shown = None if value is None else max(value, 1e-300)
    return f"{test_label(test)} p-value (corrected)", shown, alpha, True


def history_traces(tested, feature: str) -> tuple[list[dict[str, Any]], str, bool]:
    """The feature's drift measure over the runs, at their times, with its threshold (a
    visible mark even with one run); the runs where it drifted in red."""
    xs, ys, thresholds, drifted, hover = [], [], [], [], []
    name, log = "statistic", False
    for i, (run, drift) in enumerate(tested):
        entry = (drift.get("features") or {}).get(feature)
        if entry is None:
            continue
        name, value, threshold, log = measure(entry)
        xs.append(chart_time(run))
        ys.append(value)
        thresholds.append(threshold)
        drifted.append("#dc2626" if entry.get("drift") else "#2563eb")
        hover.append(f"run {i + 1} · {file_name(run.source)}<br>{entry.get('verdict')}")
    traces = [
        {"type": "scatter", "mode": "lines+markers", "x": xs, "y": ys, "xaxis": "x2",
         "yaxis": "y2", "name": name, "marker": {"color": drifted, "size": 8},
         "line": {"color": "#2563eb"}, "text": hover,
         "hovertemplate": "%{text}<br>%{y:.3g}<extra></extra>"}
    ]  # fmt: skip
    if any(t is not None for t in thresholds):
        traces.append(
            {"type": "scatter", "mode": "lines+markers", "x": xs, "y": thresholds,
             "xaxis": "x2", "yaxis": "y2", "name": "threshold",
             "line": {"dash": "dash", "color": "#dc2626"},
             "marker": {"symbol": "line-ew-open", "size": 18, "color": "#dc2626"},
             "hovertemplate": "threshold %{y:.3g}<extra></extra>"}
        )  # fmt: skip
    return traces, name, log
