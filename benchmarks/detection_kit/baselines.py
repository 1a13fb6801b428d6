"""Baselines outside the pipeline: never retrain, retrain on every batch, and the original
CalmOps rule.

Each fits the same model the pipeline builds from its spec (``calmops.models.factory``), on
the whole batch it learns from (the pipeline holds 25% of a batch out for evaluation).

The original rule (CalmOps 0.5, ``Detector/drift_detector.py``; see
``shared/reference/original-pipelines-and-monitors.md`` §4): the new batch is compared
with the last processed batch, column by column — numeric columns with Kolmogorov-Smirnov
and Mann-Whitney U (p < 0.05) and PSI over 10 bins (> 0.10), other columns with chi-square
(p < 0.05) — and any single flag retrains, with no multiple-testing correction. The
challenger is refitted on the current batch only (its mode 0) and replaces the champion.
Its performance thresholds (absolute balanced accuracy >= 0.9 etc.) are left out here: the
brief compares the data rule.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score

from detection_kit.streams import TARGET
from detection_kit.trace import Trace

__all__ = ["BASELINES", "original_flags", "psi", "run_baseline"]

_EMPTY_SHARE = 1e-4  # share given to an empty PSI bin (as frouros' epsilon)


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index over ``bins`` equal-width bins spanning both samples.

    >>> x = np.arange(100.0)
    >>> psi(x, x)
    0.0
    >>> round(psi(x, x + 50), 2)
    6.62
    """
    edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins=bins)
    p = np.histogram(reference, edges)[0] / len(reference)
    q = np.histogram(current, edges)[0] / len(current)
    p, q = np.maximum(p, _EMPTY_SHARE), np.maximum(q, _EMPTY_SHARE)
    return float(np.sum((q - p) * np.log(q / p)))


def original_flags(
    reference: pd.DataFrame, current: pd.DataFrame, alpha: float = 0.05, threshold: float = 0.1
) -> list[str]:
    """The ``column_test`` flags of the original rule (empty: no drift).

    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"a": rng.normal(size=500), "b": rng.normal(size=500)})
    >>> cur = pd.DataFrame({"a": rng.normal(size=500) + 1, "b": rng.normal(size=500)})
    >>> [f for f in original_flags(ref, cur) if f.startswith("a")]
    ['a_ks', 'a_mw', 'a_psi']
    """
    flags = []
    for column in reference.columns:
        ref, cur = reference[column].dropna(), current[column].dropna()
        if len(ref) < 2 or len(cur) < 2:
            continue
        if pd.api.types.is_numeric_dtype(ref) and not pd.api.types.is_bool_dtype(ref):
            r, c = ref.to_numpy(float), cur.to_numpy(float)
            with warnings.catch_warnings():  # ties: scipy falls back to the asymptotic p
                warnings.simplefilter("ignore", RuntimeWarning)
                ks = stats.ks_2samp(r, c).pvalue
            if ks < alpha:
                flags.append(f"{column}_ks")
            if stats.mannwhitneyu(r, c, alternative="two-sided").pvalue < alpha:
                flags.append(f"{column}_mw")
            if psi(r, c) > threshold:
                flags.append(f"{column}_psi")
        else:
            table = pd.crosstab(
                np.r_[np.zeros(len(ref)), np.ones(len(cur))],
                np.r_[ref.astype(str), cur.astype(str)],
            )
            if table.shape[1] > 1 and stats.chi2_contingency(table)[1] < alpha:
                flags.append(f"{column}_chi2")
    return flags


def _never(index: int, batches: Sequence[pd.DataFrame]) -> bool:
    return False


def _every(index: int, batches: Sequence[pd.DataFrame]) -> bool:
    return True


def _original(index: int, batches: Sequence[pd.DataFrame]) -> bool:
    features = [b.drop(columns=[TARGET]) for b in batches[index - 1 : index + 1]]
    return bool(original_flags(*features))


Rule = Callable[[int, Sequence[pd.DataFrame]], bool]

#: method name -> whether to retrain (on that batch alone) after scoring batch ``index``
BASELINES: dict[str, Rule] = {
    "never-retrain": _never,
    "every-batch": _every,
    "original-rule": _original,
}


def run_baseline(method: str, batches: Sequence[pd.DataFrame], model: Any) -> Trace:
    """Run baseline ``method`` over ``batches`` with an unfitted ``model`` (cloned per fit)."""
    rule = BASELINES[method]
    started = time.perf_counter()

    def fit(frame: pd.DataFrame) -> Any:
        return clone(model).fit(frame.drop(columns=[TARGET]), frame[TARGET])

    current = fit(batches[0])
    decisions, scores, retrains = ["train"], [None], []
    for i in range(1, len(batches)):
        batch = batches[i]
        predicted = current.predict(batch.drop(columns=[TARGET]))
        scores.append(float(balanced_accuracy_score(batch[TARGET], predicted)))
        if rule(i, batches):
            current = fit(batch)
            decisions.append("retrain")
            retrains.append(i)
        else:
            decisions.append("no_drift")
    return Trace(
        method,
        tuple(decisions),
        tuple(scores),
        tuple(retrains),
        promotions=tuple(retrains),
        seconds=time.perf_counter() - started,
    )
