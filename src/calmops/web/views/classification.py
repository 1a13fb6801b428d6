"""Classifiers on the Performance tab: the confusion matrix on the champion's full holdout
(never a sample), per-class precision and recall, and ROC on the latest labelled batch."""

from __future__ import annotations

from typing import Any

import numpy as np

from calmops.errors import CalmopsError
from calmops.web import figures
from calmops.web.format import number
from calmops.web.sections import figure, notice, table
from calmops.web.views.common import file_name
from calmops.web.views.distributions import latest_batch

__all__ = ["classification_sections", "roc_points"]

MAX_CLASSES = 20
ROC_POINTS = 200


def classification_sections(reader, name, registry, champion, runs, spec) -> list[dict[str, Any]]:
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
                f"Confusion matrix of v{champion.version} on {_rows_title(champion)} "
                f"({len(y_true):,} rows)",
                _confusion_figure(counts, labels),
                note=f"Every one of {_held_out_words(champion)}; rows are the true class, "
                "shares by row.",
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
        labels=text,
        colorscale="Blues",
        title="share",
        zmax=1.0,
    )
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


def _unseen(runs, champion) -> list:
    """The runs after the one that trained ``champion`` (newest first): batches it never
    learned from. All of ``runs`` when the training run is not among them."""
    trained_in = (champion.card or {}).get("run_id")
    ids = [r.id for r in runs]
    return runs[: ids.index(trained_in)] if trained_in in ids else runs


def _latest_labelled(reader, name, runs, target: str | None, look: int = 20):
    """``(run, frame)`` of the newest of the latest ``look`` runs whose batch can be read
    with its labels (a labelled batch, or one whose labels came later), else ``(None, None)``."""
    if not target:
        return None, None
    for run in runs[:look]:
        found, frame = latest_batch(reader, name, [run])
        if frame is not None and target in frame.columns:
            return found, frame
    return None, None


def _roc_figure(y: np.ndarray, proba: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """One ROC curve (binary) or one per class against the rest."""
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
    return {"data": data, "layout": figures.layout("true positive rate", "false positive rate")}


def _roc_on_holdout(registry, champion, why: str) -> dict[str, Any]:
    """The ROC on the champion's held-out rows (never rows it was trained on)."""
    holdout = registry.holdout(champion)
    if holdout is None or holdout.proba is None:
        return notice("performance-roc", f"No ROC curve: {why}, and the champion's holdout "
                      "has no probabilities.", "info")  # fmt: skip
    classes = [str(c) for c in holdout.classes]
    fig = _roc_figure(holdout.y_true, np.asarray(holdout.proba), classes)
    return figure(
        "performance-roc",
        f"ROC of v{champion.version} on {_rows_title(champion)} ({len(holdout.y_true):,} rows)",
        fig,
        note=f"{why[0].upper()}{why[1:]}; so this ROC uses {_held_out_words(champion)}.",
    )


def _rows_title(champion) -> str:
    ipip = (champion.card or {}).get("strategy") == "ipip"
    return "its prequential predictions" if ipip else "its held-out rows"


def _held_out_words(champion) -> str:
    card = champion.card or {}
    if card.get("strategy") == "ipip":
        return "the prequential predictions: each block scored before the model learned it"
    if "holdout rows it won on" in str((card.get("training") or {}).get("data")):
        return "the holdout rows, predicted before the model was refit on them"
    return "the holdout rows kept out of its training"


def _roc_section(reader, name, registry, champion, runs, spec) -> dict[str, Any]:
    target = (spec.get("data") or {}).get("target")
    run, frame = _latest_labelled(reader, name, _unseen(runs, champion), target)
    if frame is None:
        why = "no labelled batch arrived after the champion was trained on the latest one"
        return _roc_on_holdout(registry, champion, why)

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
        return _roc_figure(y, proba, classes), len(y)

    fig, detail = reader.derived(("roc", name, champion.version, run.id), compute)
    if fig is None:
        return notice("performance-roc", f"No ROC curve: {detail}.", "info")
    return figure(
        "performance-roc",
        f"ROC of v{champion.version} on the latest batch it was not trained on",
        fig,
        note=f"{file_name(run.source)}: all {detail:,} labelled rows, scored by the champion; "
        "it arrived after the champion was trained.",
    )
