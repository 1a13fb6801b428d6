"""CBPE: a classifier's performance on unlabelled rows, from its calibrated probabilities.

If the calibrated probability of class ``i`` for a row is ``p_i``, the row is of class ``i``
with probability ``p_i``; the expected confusion matrix of a batch is then
``C[i, j] = sum of p_i over the rows predicted j``, and accuracy, balanced accuracy,
precision, recall, F1 (of the positive label) and macro F1 are computed from it as from
realized counts (NannyML's method). ROC AUC is the expected-TPR/FPR construction: every
row counts as a positive with weight ``p`` and a negative with weight ``1 - p``, ranked by
the model's own score (one-vs-rest macro with more than two classes).

The interval is a sampling interval: labels are drawn from the calibrated probabilities
(``n_draws`` categorical draws per row, vectorised), the realized metric is computed on each
draw, and its quantiles bound the value the labels would give *if the calibration holds*.
It does not cover calibration error, and nothing label-free covers concept drift (the
probabilities themselves are then wrong).

>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=3000); y = (rng.uniform(size=3000) < p).astype(int)
>>> est = CBPE.fit(y, (p > .5).astype(int), np.c_[1 - p, p], np.array([0, 1]))
>>> q = rng.uniform(.6, 1, size=500)  # a covariate shift: only confident rows
>>> e = est.estimate(None, (q > .5).astype(int), np.c_[1 - q, q])
>>> round(e.metrics["accuracy"].value, 2), e.trusted
(0.8, True)

References
----------
Kivimäki et al. (2023), "Confidence-based performance estimation", NannyML documentation.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from calmops.errors import DataValidationError
from calmops.models.metrics import formulas as f
from calmops.models.metrics import positive_label
from calmops.performance.base import MIN_ROWS, Estimate, PerformanceEstimator, chosen_metrics
from calmops.performance.calibration import Calibrator, fit_calibrator
from calmops.performance.coverage import ScoreCoverage
from calmops.performance.intervals import estimated, quantiles

__all__ = ["CBPE", "N_DRAWS"]

N_DRAWS = 200
_COUNTS = {
    "accuracy": f.accuracy,
    "balanced_accuracy": f.balanced_accuracy,
    "precision": f.precision,
    "recall": f.recall,
    "f1": f.f1,
    "f1_macro": f.f1_macro,
}
_CELLS = 20_000_000  # draws x rows x classes held in memory at once


def codes_of(labels, classes: np.ndarray) -> np.ndarray:
    """Column of ``classes`` of each label (-1: not one of them)."""
    labels = np.asarray(labels)
    if classes.dtype.kind in "OUS" or labels.dtype.kind in "OUS":
        classes, labels = classes.astype(str), labels.astype(str)
    return pd.Index(classes).get_indexer(labels)


class CBPE(PerformanceEstimator):
    """Confidence-based performance estimation (see the module docstring)."""

    name = "cbpe"
    metric_names = (*_COUNTS, "roc_auc")

    def __init__(
        self,
        classes: np.ndarray,
        positive: Any,
        calibrator: Calibrator,
        coverage: ScoreCoverage,
        holdout_rows: int,
        caveats: tuple[str, ...] = (),
    ) -> None:
        self.classes = np.asarray(classes)
        self.positive = positive
        self.calibrator = calibrator
        self.coverage = coverage
        self.holdout_rows = holdout_rows
        self.caveats = caveats

    @classmethod
    def fit(cls, y, predicted, proba, classes, *, positive=None, seed: int = 0) -> CBPE:
        """Calibrate ``proba`` on held-out rows with labels ``y``."""
        classes = np.asarray(classes)
        proba = _checked(proba, classes)
        codes = codes_of(y, classes)
        caveats = []
        if len(codes) < MIN_ROWS:
            caveats.append(
                f"calibrated on {len(codes)} held-out rows (fewer than {MIN_ROWS}): "
                "the estimate is rough"
            )
        missing = [str(c) for j, c in enumerate(classes) if not (codes == j).any()]
        if missing:
            caveats.append(f"class {', '.join(missing)} absent from the held-out rows")
        return cls(
            classes,
            positive_label(np.asarray(y), positive),
            fit_calibrator(proba, codes, seed=seed),
            ScoreCoverage.fit(proba.max(axis=1)),
            len(codes),
            tuple(caveats),
        )

    def estimate(
        self,
        X,
        predicted,
        proba=None,
        *,
        metrics: Iterable[str] | None = None,
        confidence: float = 0.95,
        seed: int = 0,
        n_draws: int = N_DRAWS,
    ) -> Estimate:
        names = chosen_metrics(metrics, self.metric_names)
        rows = len(predicted)
        if proba is None:
            return Estimate(self.name, rows, {}, False, ("no probabilities for this batch",))
        if rows == 0:
            return Estimate(self.name, 0, {}, False, ("the batch has no rows",))
        raw = _checked(proba, self.classes)
        calibrated = self.calibrator.apply(raw)
        pred = codes_of(predicted, self.classes)
        caveats = list(self.caveats)
        if (pred < 0).any():
            caveats.append(f"{int((pred < 0).sum())} predictions are not classes of the model")
        caveat = self.coverage.caveat(raw.max(axis=1), "highest probability")
        if caveat:
            caveats.append(caveat)
        draws = _draw(calibrated, n_draws, np.random.default_rng(seed))
        positive = self._positive_column()
        counted = [n for n in names if n in _COUNTS]
        if counted:
            expected, counts = _confusions(calibrated, pred, draws)
        out = {}
        for name in names:
            if name == "roc_auc":
                point, reps = _roc_auc(calibrated, raw, draws, positive)
            else:
                point = float(_COUNTS[name](expected, positive)[0])
                reps = _COUNTS[name](counts, positive)
            out[name] = estimated(name, point, *quantiles(reps, confidence))
        return Estimate(self.name, rows, out, not caveats, tuple(caveats))

    def _positive_column(self) -> int:
        found = int(codes_of(np.asarray([self.positive]), self.classes)[0])
        return found if found >= 0 else len(self.classes) - 1

    def state(self) -> dict[str, Any]:
        return {
            "classes": {"values": self.classes.tolist(), "dtype": self.classes.dtype.str},
            "positive": _plain(self.positive),
            "calibrator": self.calibrator.to_dict(),
            "coverage": self.coverage.to_dict(),
            "holdout_rows": self.holdout_rows,
            "caveats": list(self.caveats),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], folder: Path) -> CBPE:
        classes = state["classes"]
        return cls(
            np.asarray(classes["values"], dtype=np.dtype(classes["dtype"])),
            state["positive"],
            Calibrator.from_dict(state["calibrator"]),
            ScoreCoverage.from_dict(state["coverage"]),
            int(state["holdout_rows"]),
            tuple(state.get("caveats") or ()),
        )


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _checked(proba, classes: np.ndarray) -> np.ndarray:
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[1] != len(classes):
        raise DataValidationError(
            f"probabilities of shape {proba.shape} do not match the model's "
            f"{len(classes)} classes; pass predict_proba's (rows, classes) array"
        )
    return proba


def _draw(calibrated: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """``n_draws`` simulated labels per row, as class columns: an (n_draws, rows) array."""
    n, k = calibrated.shape
    if k == 2:
        return (rng.random((n_draws, n)) < calibrated[:, 1]).astype(np.int64)
    cumulative = np.cumsum(calibrated, axis=1)[:, :-1]
    step = max(1, _CELLS // max(1, n * k))
    parts = []
    for start in range(0, n_draws, step):
        u = rng.random((min(step, n_draws - start), n, 1))
        parts.append((u > cumulative[None]).sum(axis=2))
    return np.concatenate(parts).astype(np.int64)


def _confusions(calibrated, pred, draws) -> tuple[np.ndarray, np.ndarray]:
    """The expected confusion matrix (1, K, K) and one per draw (B, K, K): true x predicted."""
    k = calibrated.shape[1]
    known = pred >= 0
    onehot = np.zeros((len(pred), k))
    onehot[np.flatnonzero(known), pred[known]] = 1.0
    expected = (calibrated.T @ onehot)[None]
    b = len(draws)
    cells = draws[:, known] * k + pred[known] + (np.arange(b) * k * k)[:, None]
    counts = np.bincount(cells.ravel(), minlength=b * k * k).reshape(b, k, k)
    return expected, counts


def _roc_auc(calibrated, raw, draws, positive: int) -> tuple[float, np.ndarray]:
    """Expected ROC AUC and its value on each draw (one-vs-rest macro for K > 2).

    The expected AUC counts every row as a positive of weight ``p`` and a negative of weight
    ``1 - p``; a draw's AUC is Mann-Whitney's from the mid-ranks of the model's scores.
    """
    k = calibrated.shape[1]
    columns = [positive] if k == 2 else range(k)
    n = len(raw)
    is_positive = np.r_[np.ones(n, bool), np.zeros(n, bool)]
    points, reps = [], []
    for j in columns:
        p = calibrated[:, j]
        score = np.r_[raw[:, j], raw[:, j]]
        points.append(f.roc_auc_binary(score, is_positive, np.r_[p, 1 - p][None])[0])
        hits = draws == j
        n1 = hits.sum(axis=1).astype(float)
        won = hits @ rankdata(raw[:, j]) - n1 * (n1 + 1) / 2
        pairs = n1 * (n - n1)
        with np.errstate(invalid="ignore", divide="ignore"):
            reps.append(np.where(pairs > 0, won / np.where(pairs > 0, pairs, 1), np.nan))
    stacked = np.stack(reps, axis=1)
    valid = ~np.isnan(stacked).all(axis=1)
    rep = np.full(len(stacked), np.nan)
    rep[valid] = np.nanmean(stacked[valid], axis=1)
    finite = [x for x in points if np.isfinite(x)]
    return (float(np.mean(finite)) if finite else float("nan")), rep
