"""The Performance tab: metric history; the confusion matrix (on the champion's full holdout)
and ROC for classifiers, residuals for regressors; estimated against realized performance
where a run recorded both."""

from __future__ import annotations

from typing import Any

from calmops.web import figures
from calmops.web.reader import Reader
from calmops.web.sections import figure, kpi, kpis, notice, tab
from calmops.web.views.classification import classification_sections
from calmops.web.views.common import clean, primary_metric
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
            _history(chronological),
            note="◆ the holdout metrics of each challenger trained.",
        ),
    ]
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


def _latest(chronological, metric: str | None) -> float | None:
    for run in reversed(chronological):
        value = (run.summary.get("metrics") or {}).get(metric) if metric else None
        if value is not None:
            return value
    return None


def _history(chronological) -> dict[str, Any]:
    names: list[str] = []
    for run in chronological:
        for key in run.summary.get("metrics") or {}:
            if not key.startswith("holdout_") and key not in names:
                names.append(key)
    series = []
    for key in names[:8]:
        xs, ys = [], []
        for i, run in enumerate(chronological):
            value = (run.summary.get("metrics") or {}).get(key)
            if value is not None:
                xs.append(i + 1)
                ys.append(clean(float(value)))
        series.append({"name": key, "x": xs, "y": ys})
    fig = figures.line(series, "value", x_title="run")
    for j, key in enumerate(names[:8]):
        xs, ys = [], []
        for i, run in enumerate(chronological):
            value = (run.summary.get("metrics") or {}).get(f"holdout_{key}")
            if value is not None:
                xs.append(i + 1)
                ys.append(clean(float(value)))
        if xs:
            fig["data"].append(
                {"type": "scatter", "mode": "markers", "x": xs, "y": ys,
                 "name": f"challenger holdout {key}",
                 "marker": {"symbol": "diamond", "size": 10,
                            "color": figures.COLORS[j % len(figures.COLORS)]}}
            )  # fmt: skip
    return fig


# ---- estimated against realized ------------------------------------------------------------


def _estimates(reader: Reader, name: str, chronological) -> dict[str, Any] | None:
    """Runs whose report holds a label-free estimate (a signal with ``details.estimated``)."""
    xs, estimated, realized, metric = [], [], [], None
    for i, run in enumerate(chronological):
        if not (run.summary.get("signals") or {}):
            continue
        report = reader.report(name, run)
        for signal in report.signals.values():
            details = signal.details or {}
            if "estimated" in details:
                metric = details.get("metric") or metric
                xs.append(i + 1)
                estimated.append(clean(details.get("estimated")))
                real = details.get("realized")
                if real is None and metric:
                    real = report.champion_metrics.get(metric)
                realized.append(clean(real))
                break
    if not xs:
        return None
    series = [{"name": "estimated", "x": xs, "y": estimated}]
    if any(v is not None for v in realized):
        series.append({"name": "realized", "x": xs, "y": realized})
    return figure(
        "performance-estimated",
        f"Estimated against realized {metric or 'performance'}",
        figures.line(series, metric or "", x_title="run"),
    )
