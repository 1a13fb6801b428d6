"""The two families of metrics, and how each is resampled by the bootstrap.

- :class:`CountMetric`: a function of the confusion matrix (accuracy, precision, ...). A
  bootstrap resample of rows is a multinomial draw of the matrix's cells: exact and cheap at
  any row count; two models on the same rows are resampled jointly through the (true,
  predicted a, predicted b) cells.
- Row metrics, resampled by index: :class:`SumMetric` (a function of sums of per-row
  statistics: regression errors, log loss, Brier), :class:`RankMetric` (ROC AUC, average
  precision: a function of row weights, a resample being how often each row is drawn) and
  :class:`CustomMetric` (the user's function, called on each resample). Two models on the
  same rows share the resampled indices. Beyond 20,000 rows, rank and custom metrics are
  resampled m out of n (:func:`subsampled`), so their cost stays bounded.

Each implements the :class:`Metric` protocol: ``point`` (the value on the rows) and
``replicates`` (its bootstrap replicates, jointly for several models on the same rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

__all__ = [
    "CountMetric",
    "CustomMetric",
    "Metric",
    "Proba",
    "RankMetric",
    "Scored",
    "SumMetric",
]

_CHUNK = 64
_EXACT_ROWS = 5000
_RESAMPLED_ROWS = 20_000


@dataclass(frozen=True)
class Proba:
    """Predicted probabilities ``values`` (n, K), one column per class of ``classes``."""

    values: np.ndarray
    classes: np.ndarray

    def take(self, rows: np.ndarray) -> Proba:
        """The probabilities of ``rows`` only."""
        return Proba(self.values[rows], self.classes)


@dataclass(frozen=True)
class Scored:
    """One model's predictions on labelled rows: what every metric is computed from."""

    y_true: np.ndarray
    y_pred: np.ndarray
    proba: Proba | None = None
    positive: Any = None  # the positive label (classification), already resolved

    def take(self, rows: np.ndarray) -> Scored:
        """The same predictions on ``rows`` only."""
        proba = None if self.proba is None else self.proba.take(rows)
        return Scored(self.y_true[rows], self.y_pred[rows], proba, self.positive)

    def codes(self) -> np.ndarray:
        """Column of ``proba`` holding each row's true class (-1: a class the model lacks);
        computed once (every probability metric needs it)."""
        if "_codes" not in self.__dict__:
            import pandas as pd

            classes, truth = self.proba.classes, self.y_true
            if classes.dtype.kind in "OUS" or truth.dtype.kind in "OUS":
                classes, truth = classes.astype(str), truth.astype(str)
            self.__dict__["_codes"] = pd.Index(classes).get_indexer(truth)
        return self.__dict__["_codes"]

    def confusion(self) -> tuple[np.ndarray, int]:
        """The (1, K, K) confusion counts and the positive's index; computed once."""
        if "_confusion" not in self.__dict__:
            truth, (pred,), positive = _labels([self])
            k = int(max(truth.max(initial=0), pred.max(initial=0), positive)) + 1
            counts = np.bincount(truth * k + pred, minlength=k * k).reshape(1, k, k)
            self.__dict__["_confusion"] = (counts, positive)
        return self.__dict__["_confusion"]

    def positive_column(self) -> int:
        """Column of ``proba`` of the positive label (the last one if the model lacks it)."""
        matches = np.flatnonzero(
            self.proba.classes.astype(str) == np.asarray([self.positive]).astype(str)[0]
        )
        return int(matches[0]) if matches.size else self.proba.values.shape[1] - 1


class Metric(Protocol):
    """A metric: its name, task, direction, and its value and bootstrap on scored rows."""

    name: str
    task: str
    higher_is_better: bool
    needs_proba: bool
    description: str

    def better(self, a: float, b: float) -> float: ...

    def point(self, scored: Scored) -> float: ...

    def replicates(
        self, models: list[Scored], n_boot: int, rng: np.random.Generator
    ) -> list[np.ndarray]: ...


class _Direction:
    """What every family shares: the direction of a change."""

    higher_is_better: bool

    def better(self, a: float, b: float) -> float:
        """How much better ``a`` is than ``b`` (positive when better)."""
        return a - b if self.higher_is_better else b - a


# ---- confusion counts ------------------------------------------------------------------


def _labels(models: list[Scored]) -> tuple[np.ndarray, list[np.ndarray], int]:
    """Codes of the truth and of each model's predictions in one label set (with the
    positive label, so its index always exists), and the positive's index."""
    first = models[0]
    parts = [first.y_true, *(m.y_pred for m in models)]
    extra = [] if first.positive is None else [np.asarray([first.positive])]
    labels, codes = np.unique(np.concatenate(parts + extra), return_inverse=True)
    n = len(first.y_true)
    split = [codes[i * n : (i + 1) * n] for i in range(len(parts))]
    positive = int(codes[-1]) if extra else len(labels) - 1
    return split[0], split[1:], positive


@dataclass(frozen=True)
class CountMetric(_Direction):
    """A function of the confusion counts ``(B, K, K)`` and the positive class's index."""

    name: str
    task: str
    higher_is_better: bool
    from_counts: Callable[[np.ndarray, int], np.ndarray]
    description: str = ""
    needs_proba: bool = False

    def point(self, scored: Scored) -> float:
        counts, positive = scored.confusion()
        return float(self.from_counts(counts, positive)[0])

    def replicates(self, models, n_boot, rng):
        truth, preds, positive = _labels(models)
        k = int(max(truth.max(initial=0), *(p.max(initial=0) for p in preds), positive)) + 1
        cell = truth
        for pred in preds:
            cell = cell * k + pred
        joint = _multinomial(np.bincount(cell, minlength=k ** (1 + len(preds))), n_boot, rng)
        joint = joint.reshape(n_boot, *([k] * (1 + len(preds))))
        out = []
        for i in range(len(preds)):
            others = tuple(2 + j for j in range(len(preds)) if j != i)
            out.append(self.from_counts(joint.sum(axis=others), positive))
        return out


def _multinomial(cells: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Resampling n rows that fall into cells is a multinomial draw of the cell counts."""
    n = int(cells.sum())
    return rng.multinomial(n, cells / n, size=n_boot)


# ---- row metrics ---------------------------------------------------------------------


@dataclass(frozen=True)
class SumMetric(_Direction):
    """A function of the sums of per-row statistics: ``columns`` (n, d), ``from_sums``."""

    name: str
    task: str
    higher_is_better: bool
    columns: Callable[[Scored], np.ndarray]
    from_sums: Callable[[np.ndarray], np.ndarray]
    description: str = ""
    needs_proba: bool = False

    def point(self, scored: Scored) -> float:
        return float(self.from_sums(self.columns(scored).sum(axis=0)[None])[0])

    def replicates(self, models, n_boot, rng):
        blocks = [self.columns(m) for m in models]
        sums = resample_sums(np.hstack(blocks), n_boot, rng)
        d = blocks[0].shape[1]
        return [self.from_sums(sums[:, i * d : (i + 1) * d]) for i in range(len(models))]


def resample_sums(rows: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap sums of the rows of ``rows`` (n, d).

    Up to ``_EXACT_ROWS`` rows, rows are resampled by index. Beyond, the sum of n resampled
    rows is drawn from its normal limit (mean n·mean, covariance n·cov): the bootstrap
    distribution of a sum is that normal to within O(1/sqrt(n)), at a cost independent of n.
    """
    n = len(rows)
    if n <= _EXACT_ROWS:
        out = np.empty((n_boot, rows.shape[1]))
        for start in range(0, n_boot, _CHUNK):
            size = min(_CHUNK, n_boot - start)
            out[start : start + size] = rows[rng.integers(0, n, size=(size, n))].sum(axis=1)
        return out
    mean = rows.mean(axis=0)
    covariance = np.cov(rows, rowvar=False, bias=True)
    draws = rng.multivariate_normal(np.zeros(len(mean)), covariance, size=n_boot, method="eigh")
    return n * mean + np.sqrt(n) * draws


def resample_weights(n: int, n_boot: int, rng: np.random.Generator):
    """Bootstrap resamples as row weights (how often each row is drawn), in chunks (B, n)."""
    for start in range(0, n_boot, _CHUNK):
        size = min(_CHUNK, n_boot - start)
        drawn = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        yield np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n)


@dataclass(frozen=True)
class RankMetric(_Direction):
    """A function of the rows and their weights ``(B, n)``: ``from_weights(scored, w)``."""

    name: str
    task: str
    higher_is_better: bool
    from_weights: Callable[[Scored, np.ndarray], np.ndarray]
    description: str = ""
    needs_proba: bool = True

    def point(self, scored: Scored) -> float:
        ones = np.ones((1, len(scored.y_true)), dtype=np.int64)
        return float(self.from_weights(scored, ones)[0])

    def replicates(self, models, n_boot, rng):
        return subsampled(self, models, n_boot, rng, self._replicates)

    def _replicates(self, models, n_boot, rng):
        parts: list[list[np.ndarray]] = [[] for _ in models]
        for weights in resample_weights(len(models[0].y_true), n_boot, rng):
            for i, scored in enumerate(models):
                parts[i].append(self.from_weights(scored, weights))
        return [np.concatenate(p) for p in parts]


def subsampled(metric, models: list[Scored], n_boot: int, rng, exact) -> list[np.ndarray]:
    """``exact(models, n_boot, rng)`` up to ``_RESAMPLED_ROWS`` rows; beyond, the
    m-out-of-n bootstrap: resamples of a seeded subsample of m rows, their deviations from
    the subsample's value shrunk by sqrt(m / n) around the value on all rows (valid for
    root-n statistics such as AUC; the cost stays that of m rows)."""
    n = len(models[0].y_true)
    if n <= _RESAMPLED_ROWS:
        return exact(models, n_boot, rng)
    rows = np.sort(rng.choice(n, size=_RESAMPLED_ROWS, replace=False))
    small = [scored.take(rows) for scored in models]
    shrink = np.sqrt(_RESAMPLED_ROWS / n)
    return [
        metric.point(full) + (reps - metric.point(part)) * shrink
        for full, part, reps in zip(models, small, exact(small, n_boot, rng), strict=True)
    ]


@dataclass(frozen=True)
class CustomMetric(_Direction):
    """The user's ``metric(y_true, y_pred, proba) -> float``, called once per resample
    (``proba``: the (n, K) probabilities, or None for a regressor or a model without them)."""

    function: Callable[..., float]
    task: str
    higher_is_better: bool
    name: str = "custom"
    description: str = "the metric function of the hooks file"
    needs_proba: bool = False

    def point(self, scored: Scored) -> float:
        return self._call(scored, slice(None))

    def replicates(self, models, n_boot, rng):
        return subsampled(self, models, n_boot, rng, self._replicates)

    def _replicates(self, models, n_boot, rng):
        n = len(models[0].y_true)
        out = np.empty((len(models), n_boot))
        for b in range(n_boot):
            rows = rng.integers(0, n, n)
            out[:, b] = [self._call(m, rows) for m in models]
        return list(out)

    def _call(self, scored: Scored, rows) -> float:
        proba = None if scored.proba is None else scored.proba.values[rows]
        return float(self.function(scored.y_true[rows], scored.y_pred[rows], proba))
