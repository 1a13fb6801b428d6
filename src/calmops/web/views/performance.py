"""The Performance tab: metric history; the confusion matrix (on the champion's full holdout)
and ROC for classifiers, residuals for regressors; estimated against realized performance
where runs recorded an estimate (``calmops.pipeline.estimation``)."""

from __future__ import annotations

from typing import Any

from calmops.web import figures
from calmops.web.reader import Reader
from calmops.web.sections import figure, kpi, kpis, notice, tab
from calmops.web.views.beside import beside_section
from calmops.web.views.classification import classification_sections
from calmops.web.views.common import clean, primary_metric
from calmops.web.views.identity import run_labels
from calmops.web.views.residuals import regression_sections
from calmops.web.views.status import empty_runs_text

__all__ = ["build_performance"]


def build_performance(
    reader: Reader, name: str, *, base: str = "", limit: int = 200
) -> dict[str, Any]:
    """The Performance tab of pipeline ``name``."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=limit)
    if not runs:
        text = empty_runs_text(record.spec, name)
        return tab("performance", "Performance", [notice("performance-empty", text)])
    metric = primary_metric(record.spec, runs)
    registry = reader.registry(name)
    champion = registry.alias("champion")
    task = (champion.card or {}).get("task") if champion else None
    chronological = [r for r in reversed(runs) if r.status == "succeeded"]
    sections: list[dict[str, Any]] = [
        kpis(
            "performance-kpis",
            [
                kpi("champion", f"v{champion.version}" if champion else "—"),
                kpi("task", task or "—"),
                kpi(
                    f"holdout {metric}",
                    champion.metrics.get(metric) if champion and metric else None,
                ),
                kpi(f"latest batch {metric}", _latest(chronological, metric)),
            ],
        ),
        figure(
            "performance-history",
            "Metrics of the champion on each batch",
            _by_file(_history(chronological, metric), chronological),
            note="◆ the holdout metrics of each challenger trained. The decision's metric is "
            "shown; click another in the legend to add it.",
        ),
    ]
    beside = beside_section(reader, name, chronological, metric)
    if beside is not None:
        sections.append(beside)
    if champion is None:
        sections.append(
            notice("performance-no-champion", "No champion yet: nothing to evaluate.", "info")
        )
    elif task == "regression":
        sections += regression_sections(reader, name, registry, champion)
    else:
        sections += classification_sections(reader, name, registry, champion, runs, record.spec)
    estimated = _estimates(reader, name, chronological[-50:])
    if estimated is not None:
        sections.append(estimated)
    return tab("performance", "Performance", sections, task=task, metric=metric)


def _by_file(fig: dict[str, Any], chronological) -> dict[str, Any]:
    """Runs on the x axis by batch file, as on the Runs tab and the Drift tab, in order."""
    order = list(run_labels(chronological).values())
    fig["layout"]["xaxis"] |= {"type": "category", "categoryorder": "array",
                               "categoryarray": order, "automargin": True,
                               "title": {"text": "batch file, oldest to newest"}}  # fmt: skip
    return fig


def _latest(chronological, metric: str | None) -> float | None:
    for run in reversed(chronological):
        value = (run.summary.get("metrics") or {}).get(metric) if metric else None
        if value is not None:
            return value
    return None


def _history(chronological, metric: str | None = None) -> dict[str, Any]:
    """Every metric of the champion by run; only ``metric`` (the decision's) starts visible,
    so metrics on other scales (log loss beside accuracy) do not flatten it."""
    labels = run_labels(chronological)
    names: list[str] = [metric] if metric else []
    for run in chronological:
        for key in run.summary.get("metrics") or {}:
            if not key.startswith("holdout_") and key not in names:
                names.append(key)
    series = []
    for key in names[:8]:
        xs, ys = [], []
        for run in chronological:
            value = (run.summary.get("metrics") or {}).get(key)
            if value is not None:
                xs.append(labels[run.id])
                ys.append(clean(float(value)))
        series.append({"name": key, "x": xs, "y": ys})
    fig = figures.line(series, "value", x_title="run")
    for j, key in enumerate(names[:8]):
        xs, ys = [], []
        for run in chronological:
            value = (run.summary.get("metrics") or {}).get(f"holdout_{key}")
            if value is not None:
                xs.append(labels[run.id])
                ys.append(clean(float(value)))
        if xs:
            fig["data"].append(
                {"type": "scatter", "mode": "markers", "x": xs, "y": ys,
                 "name": f"challenger holdout {key}",
                 "marker": {"symbol": "diamond", "size": 10,
                            "color": figures.COLORS[j % len(figures.COLORS)]}}
            )  # fmt: skip
    if metric in names:
        for trace in fig["data"]:
            if trace.get("name") not in (metric, f"challenger holdout {metric}"):
                trace["visible"] = "legendonly"
    return fig


# ---- estimated against realized ------------------------------------------------------------


def _estimates(reader: Reader, name: str, chronological) -> dict[str, Any] | None:
    """The decision metric's label-free estimate of each run (``summary.estimation``), its
    interval as a band, and the realized value beside it where the batch was labelled."""
    xs, estimated, low, high, real_x, realized, metric, method = [], [], [], [], [], [], None, ""
    names = run_labels(chronological)
    for run in chronological:
        found = run.summary.get("estimation") or {}
        if found.get("estimated") is None:
            continue
        metric, method = found.get("metric") or metric, found.get("method") or method
        xs.append(names[run.id])
        estimated.append(clean(found["estimated"]))
        low.append(clean(found.get("low")))
        high.append(clean(found.get("high")))
        value = found.get("realized")
        if value is None and metric:
            value = (run.summary.get("metrics") or {}).get(metric)
        if value is not None:
            real_x.append(names[run.id])
            realized.append(clean(value))
    if not xs:
        return None
    series = [{"name": f"estimated ({method})", "x": xs, "y": estimated}]
    if realized:
        series.append({"name": "realized", "x": real_x, "y": realized})
    fig = figures.line(series, metric or "", x_title="run")
    band = [
        {"type": "scatter", "mode": "lines", "x": xs, "y": high, "name": "interval",
         "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "x": xs, "y": low, "name": "interval",
         "fill": "tonexty", "fillcolor": "rgba(31, 119, 180, 0.15)", "line": {"width": 0},
         "hoverinfo": "skip"},
    ]  # fmt: skip
    fig["data"] = band + fig["data"]
    _by_file(fig, chronological)
    return figure(
        "performance-estimated",
        f"Estimated (without labels) against realized {metric or 'performance'}",
        fig,
        note="The band is the estimate's interval; realized where the batch had labels "
        "or they came later (calmops labels).",
    )
