"""The Performance tab: metric history; the confusion matrix (on the champion's full holdout)
and ROC for classifiers, residuals for regressors; estimated against realized performance
where a run recorded both."""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.errors import CalmopsError
from calmops.web import figures
from calmops.web.format import number
from calmops.web.reader import Reader
from calmops.web.sections import figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, file_name, primary_metric
from calmops.web.views.distributions import latest_batch
from calmops.web.views.status import empty_runs_text

__all__ = ["build_performance", "roc_points"]

MAX_CLASSES = 20
MAX_POINTS = 5_000
ROC_POINTS = 200


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
        sections += _regression(reader, name, registry, champion)
    else:
        sections += _classification(reader, name, registry, champion, runs, record.spec)
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


# ---- classification ----------------------------------------------------------------------


def _classification(reader, name, registry, champion, runs, spec) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    holdout = registry.holdout(champion)
    if holdout is None:
        out.append(notice("performance-confusion", "The champion has no saved holdout.", "warn"))
    else:
        y_true, y_pred = (
            np.asarray(holdout.y_true).astype(str),
            np.asarray(holdout.y_pred).astype(str),
        )
        labels = sorted(set(y_true) | set(y_pred))[:MAX_CLASSES]
        index = {label: i for i, label in enumerate(labels)}
        counts = np.zeros((len(labels), len(labels)), dtype=int)
        for t, p in zip(y_true, y_pred, strict=True):
            if t in index and p in index:
                counts[index[t], index[p]] += 1
        out.append(
            figure(
                "performance-confusion",
                f"Confusion matrix of v{champion.version} on its holdout ({len(y_true):,} rows)",
                _confusion_figure(counts, labels),
                note="Every holdout row of the batch the champion was trained on; rows are the "
                "true class, shares by row.",
            )
        )
        out.append(_per_class(counts, labels))
    out.append(_roc_section(reader, name, registry, champion, runs, spec))
    return out


def _confusion_figure(counts: np.ndarray, labels: list[str]) -> dict[str, Any]:
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    text = [[f"{counts[i, j]:,} ({shares[i, j]:.1%})" for j in range(len(labels))]
            for i in range(len(labels))]  # fmt: skip
    fig = figures.heatmap(
        shares.round(4).tolist(),
        labels,
        labels,
        text=text,
        colorscale="Blues",
        title="share",
        zmax=1.0,
    )
    fig["data"][0]["texttemplate"] = "%{text}"
    fig["layout"]["xaxis"]["title"] = {"text": "predicted"}
    fig["layout"]["yaxis"]["title"] = {"text": "true"}
    fig["layout"]["yaxis"]["autorange"] = "reversed"
    fig["layout"]["xaxis"]["type"] = fig["layout"]["yaxis"]["type"] = "category"
    fig["layout"]["height"] = max(300, 60 * len(labels) + 120)
    return fig


def _per_class(counts: np.ndarray, labels: list[str]) -> dict[str, Any]:
    rows = []
    for i, label in enumerate(labels):
        tp = counts[i, i]
        predicted, actual = counts[:, i].sum(), counts[i, :].sum()
        precision = tp / predicted if predicted else None
        recall = tp / actual if actual else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        rows.append([label, number(precision), number(recall), number(f1), number(int(actual))])
    return table(
        "performance-classes", "Per class (holdout)",
        ["class", "precision", "recall", "F1", "support"], rows,
    )  # fmt: skip


def roc_points(y: np.ndarray, score: np.ndarray) -> tuple[list[float], list[float], float]:
    """The ROC curve (at most ROC_POINTS points) and its area, for labels 0/1 and scores.

    >>> fpr, tpr, auc = roc_points(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> round(auc, 2), fpr[0], tpr[-1]
    (0.75, 0.0, 1.0)
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    fpr, tpr, _ = roc_curve(y, score)
    auc = float(roc_auc_score(y, score))
    if fpr.size > ROC_POINTS:
        keep = np.unique(np.linspace(0, fpr.size - 1, ROC_POINTS).astype(int))
        fpr, tpr = fpr[keep], tpr[keep]
    return fpr.round(5).tolist(), tpr.round(5).tolist(), auc


def _roc_section(reader, name, registry, champion, runs, spec) -> dict[str, Any]:
    target = (spec.get("data") or {}).get("target")
    run, frame = latest_batch(reader, name, runs)
    if frame is None or not target or target not in frame.columns:
        return notice(
            "performance-roc",
            "ROC needs a labelled batch on disk; none of the latest runs has one.",
            "info",
        )

    def compute():
        try:
            model = registry.load(champion)
            features = [f["name"] for f in (champion.card or {}).get("features", [])]
            labelled = frame[frame[target].notna()]
            X, y = labelled[features], labelled[target].to_numpy()
            if not hasattr(model, "predict_proba"):
                return None, "the champion's model gives no probabilities (no predict_proba)"
            proba = np.asarray(model.predict_proba(X))
            classes = [str(c) for c in getattr(model, "classes_", range(proba.shape[1]))]
        except (CalmopsError, KeyError, ValueError, TypeError, AttributeError) as error:
            return None, f"the champion could not score the latest batch ({error})"
        y = np.asarray(y).astype(str)
        data = [{"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1], "name": "chance",
                 "line": {"dash": "dot", "color": "#94a3b8"}}]  # fmt: skip
        shown = classes[-1:] if len(classes) == 2 else classes[:10]
        for k, cls in enumerate(shown):
            column = classes.index(cls)
            truth = (y == cls).astype(int)
            if truth.min() == truth.max():
                continue
            fpr, tpr, auc = roc_points(truth, proba[:, column])
            label = f"AUC {auc:.3f}" if len(classes) == 2 else f"{cls} vs rest, AUC {auc:.3f}"
            data.append({"type": "scatter", "mode": "lines", "x": fpr, "y": tpr, "name": label,
                         "line": {"color": figures.COLORS[k % len(figures.COLORS)]}})  # fmt: skip
        fig = {"data": data, "layout": figures.layout("true positive rate", "false positive rate")}
        return fig, len(y)

    fig, detail = reader.derived(("roc", name, champion.version, run.id), compute)
    if fig is None:
        return notice("performance-roc", f"No ROC curve: {detail}.", "info")
    return figure(
        "performance-roc",
        f"ROC of v{champion.version} on the latest labelled batch",
        fig,
        note=f"{file_name(run.source)}: all {detail:,} labelled rows, scored by the champion.",
    )


# ---- regression --------------------------------------------------------------------------


def _regression(reader, name, registry, champion) -> list[dict[str, Any]]:
    holdout = registry.holdout(champion)
    if holdout is None:
        return [notice("performance-residuals", "The champion has no saved holdout.", "warn")]
    y = np.asarray(holdout.y_true, dtype=float)
    predicted = np.asarray(holdout.y_pred, dtype=float)
    residuals = y - predicted
    n = y.size
    take = np.arange(n) if n <= MAX_POINTS else np.linspace(0, n - 1, MAX_POINTS).astype(int)
    scatter = {
        "data": [
            {"type": "scattergl", "mode": "markers", "x": predicted[take].round(6).tolist(),
             "y": residuals[take].round(6).tolist(), "name": "holdout rows",
             "marker": {"size": 4, "opacity": 0.5, "color": "#2563eb"}},
        ],
        "layout": figures.layout("residual (true − predicted)", "predicted"),
    }  # fmt: skip
    scatter["layout"]["shapes"] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
         "line": {"dash": "dot", "color": "#dc2626"}}
    ]  # fmt: skip
    histogram = {
        "data": [{"type": "histogram", "x": residuals.round(6).tolist(), "nbinsx": 40,
                  "marker": {"color": "#2563eb"}, "name": "residuals"}],
        "layout": figures.layout("rows", "residual"),
    }  # fmt: skip
    shown = "every row" if n <= MAX_POINTS else f"{MAX_POINTS:,} evenly spaced rows"
    return [
        figure(
            "performance-residuals",
            f"Residuals of v{champion.version} on its holdout ({n:,} rows)",
            scatter,
            note=f"The scatter shows {shown}; the histogram every row.",
        ),
        figure("performance-residual-histogram", "Distribution of residuals", histogram),
        kpis(
            "performance-residual-kpis",
            [
                kpi("mean residual", float(residuals.mean())),
                kpi("MAE", float(np.abs(residuals).mean())),
                kpi("RMSE", float(np.sqrt((residuals**2).mean()))),
            ],
        ),
    ]


# ---- estimated against realized ------------------------------------------------------------


def _estimates(reader: Reader, name: str, chronological) -> dict[str, Any] | None:
    """Runs whose report holds a label-free estimate (a signal with ``details.estimated``)."""
    xs, estimated, realized, metric = [], [], [], None
    for i, run in enumerate(chronological):
        if not (run.summary.get("signals") or {}):
            continue
        report = reader.report(name, run)
        for signal in (report.get("signals") or {}).values():
            details = (signal or {}).get("details") or {}
            if "estimated" in details:
                metric = details.get("metric") or metric
                xs.append(i + 1)
                estimated.append(clean(details.get("estimated")))
                real = details.get("realized")
                if real is None and metric:
                    real = ((report.get("metrics") or {}).get("champion_on_batch") or {}).get(
                        metric
                    )
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
