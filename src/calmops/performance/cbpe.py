"""CBPE: a classifier's performance on unlabelled rows, from its calibrated probabilities.

If the calibrated probability of class ``i`` for a row is ``p_i``, the row is of class ``i``
with probability ``p_i``; the expected confusion matrix of a batch is then
``C[i, j] = sum of p_i over the rows predicted j``, and accuracy, balanced accuracy,
precision, recall, F1 (of the positive label) and macro F1 are computed from it as from
realized counts (NannyML's method). ROC AUC is the expected-TPR/FPR construction: every
row counts as a positive with weight ``p`` and a negative with weight ``1 - p``, ranked by
the model's own score (one-vs-rest macro with more than two classes).

The interval is a sampling interval: where the realized value would fall if each row's label
were drawn from its calibrated probabilities (``calmops.performance.sampling``: a normal
approximation by the delta method, or ``interval="simulate"``: 200 label draws). Both are
widened by ``sqrt(1 + batch rows / held-out rows)`` for the calibration's own error (a map
learned on ``m`` labelled rows errs on a batch's mean about as much as a metric measured on
``m`` rows), and the calibration's *transfer error*, measured once at fit time, is added in
quadrature (``calmops.performance.transfer``: 3-fold cross-fitted calibration against the
realized metric on the outer quarters of every feature and of the highest probability —
how far a calibration learned on all held-out rows is off on a shifted part of them). It
cannot cover a calibration that no longer holds: nothing label-free covers concept drift
(the probabilities themselves are then wrong), and a batch beyond the calibration's range
is flagged untrusted.

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
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError, SpecError
from calmops.models.metrics import formulas as f
from calmops.models.metrics import positive_label
from calmops.performance.base import MIN_ROWS, Estimate, PerformanceEstimator, chosen_metrics
from calmops.performance.calibration import Calibrator, cross_fitted, fit_calibrator
from calmops.performance.coverage import ScoreCoverage
from calmops.performance.encoding import FeaturePlan
from calmops.performance.intervals import estimated, quantiles
from calmops.performance.sampling import (
    auc_parts,
    auc_sd,
    count_moments,
    count_sd,
    draw_labels,
    drawn_auc,
    drawn_counts,
    onehot,
)
from calmops.performance.transfer import folds_of, shift_groups, transfer_error

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


def codes_of(labels, classes: np.ndarray) -> np.ndarray:
    """Column of ``classes`` of each label (-1: not one of them)."""
    labels = np.asarray(labels)
    if classes.dtype.kind in "iu" and labels.dtype.kind in "iu" and len(classes):
        at = np.clip(np.searchsorted(classes, labels), 0, len(classes) - 1)
        if (np.diff(classes) > 0).all():
            return np.where(classes[at] == labels, at, -1)
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
        transfer: dict[str, float] | None = None,
    ) -> None:
        self.classes = np.asarray(classes)
        self.positive = positive
        self.calibrator = calibrator
        self.coverage = coverage
        self.holdout_rows = holdout_rows
        self.caveats = caveats
        self.transfer = dict(transfer or {})  # absent before the transfer error: none

    @classmethod
    def fit(cls, y, predicted, proba, classes, *, positive=None, seed: int = 0, X=None) -> CBPE:
        """Calibrate ``proba`` on held-out rows with labels ``y`` (features ``X``, optional:
        their quarters are among the shifted parts the transfer error is measured on)."""
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
        est = cls(
            classes,
            positive_label(np.asarray(y), positive),
            fit_calibrator(proba, codes, seed=seed),
            ScoreCoverage.fit(proba.max(axis=1)),
            len(codes),
            tuple(caveats),
        )
        est.transfer = est._transfer_errors(X, proba, codes, codes_of(predicted, classes), seed)
        return est

    def _transfer_errors(self, X, raw, codes, pred, seed) -> dict[str, float]:
        """Every metric's transfer error on the held-out rows (module docstring)."""
        crossed = cross_fitted(self.calibrator.kind, raw, codes, folds_of(len(codes), seed))
        matrix = FeaturePlan.fit(X).transform(X) if X is not None else np.empty((len(raw), 0))
        truth = onehot(codes, len(self.classes))
        gaps, noise = {n: [] for n in self.metric_names}, {n: [] for n in self.metric_names}
        for g in shift_groups(np.c_[matrix, raw.max(axis=1)]):
            estimated_ = self._points(self.metric_names, raw[g], crossed[g], pred[g])
            realized = self._points(self.metric_names, raw[g], truth[g], pred[g])
            for name, (point, sd) in estimated_.items():
                gaps[name].append(point - realized[name][0])
                noise[name].append(sd**2)
        return {n: transfer_error(np.array(gaps[n]), np.array(noise[n])) for n in gaps}

    def estimate(
        self,
        X,
        predicted,
        proba=None,
        *,
        metrics: Iterable[str] | None = None,
        confidence: float = 0.95,
        seed: int = 0,
        interval: str = "normal",
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
        out = self._intervals(names, raw, calibrated, pred, confidence, interval, seed)
        return Estimate(self.name, rows, out, not caveats, tuple(caveats))

    def _points(self, names, raw, calibrated, pred) -> dict[str, tuple[float, float]]:
        """Each metric's expected value and sampling standard deviation (delta method);
        with one-hot ``calibrated`` (the labels), the realized value and 0."""
        k, positive = len(self.classes), self._positive_column()
        moments = count_moments(calibrated, pred)
        columns = [positive] if k == 2 else list(range(k))
        parts = [auc_parts(raw[:, j], calibrated[:, j]) for j in columns]
        ranks = np.column_stack([r for _, r in parts])
        out = {}
        for name in names:
            if name == "roc_auc":
                finite = [v for v, _ in parts if np.isfinite(v)]
                point = float(np.mean(finite)) if finite else float("nan")
                sd = auc_sd(calibrated, ranks, columns)
            else:
                point = float(_COUNTS[name](moments[0][None], positive)[0])
                sd = count_sd(_COUNTS[name], moments, positive)
            out[name] = (point, sd)
        return out

    def _intervals(self, names, raw, calibrated, pred, confidence, interval, seed):
        if interval not in ("normal", "simulate"):
            raise SpecError(f"interval must be normal or simulate (got {interval!r})")
        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        widen = np.sqrt(1 + len(pred) / self.holdout_rows)  # the calibration's own error
        points = self._points(names, raw, calibrated, pred)
        if interval == "simulate":
            k, positive = len(self.classes), self._positive_column()
            columns = [positive] if k == 2 else list(range(k))
            ranks = np.column_stack([auc_parts(raw[:, j], raw[:, j])[1] for j in columns])
            draws = draw_labels(calibrated, N_DRAWS, np.random.default_rng(seed))
            counts = drawn_counts(draws, pred, k)
        out = {}
        for name in names:
            point, sd = points[name]
            tau = z * self.transfer.get(name, 0.0)
            if interval == "simulate":
                reps = (
                    drawn_auc(draws, ranks, columns)
                    if name == "roc_auc"
                    else _COUNTS[name](counts, positive)
                )
                low, high = quantiles(reps, confidence)
                below, above = widen * (point - low), widen * (high - point)
            else:
                below = above = widen * z * sd
            low = max(point - np.hypot(below, tau), 0.0)
            high = min(point + np.hypot(above, tau), 1.0)
            out[name] = estimated(name, point, low, high)
        return out

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
            "transfer": self.transfer,
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
            state.get("transfer"),
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
