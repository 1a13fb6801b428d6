"""Multivariate drift: all numeric columns at once.

- ``mmd``: maximum mean discrepancy with an RBF kernel whose bandwidth is the median
  pairwise distance of the pooled sample (median heuristic), and a permutation p-value.
  Each side is subsampled to at most ``max_samples`` rows (500 by default), so the cost
  is bounded whatever the table size: one kernel matrix of at most 1000 x 1000 and the
  permutations as one matrix product.
- ``classifier``: domain-classifier drift. A random forest learns, on a stratified half
  of the rows, to tell reference rows from current rows; its ROC AUC on the other half is
  0.5 when the two are indistinguishable. On held-out rows the scores are independent of
  the labels under no drift, so the AUC is a Mann-Whitney statistic: the one-sided
  p-value is scipy's ``mannwhitneyu`` (ties corrected), and ``threshold`` reports the AUC
  bound ``0.5 + z_(1-alpha) * sqrt((n1 + n2 + 1) / (12 n1 n2))``. (Cross-validated AUCs
  pooled or averaged over folds are not used: the folds' models share training rows, which
  makes their AUCs correlated and the normal bound too optimistic.)

Columns are standardised by the reference mean and standard deviation and missing values
are replaced by the reference mean. Categorical columns are not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from calmops.drift.base import verdict_for
from calmops.drift.report import MultivariateResult

__all__ = ["CLASSIFIER", "MMD", "MultivariateTest", "classifier_test", "mmd_test", "standardise"]


@dataclass(frozen=True)
class MultivariateTest:
    """A multivariate test registered by name (``compare(multivariate=[name])``).

    ``run(reference, current, *, alpha, seed)`` takes standardised row samples (rows x
    features) and returns a :class:`~calmops.drift.report.MultivariateResult`.
    """

    name: str
    run: Callable[..., MultivariateResult]


def standardise(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """``(x - mean) / std`` with non-finite values set to 0 (the reference mean)."""
    z = (x - mean) / np.where(std > 0, std, 1.0)
    return np.where(np.isfinite(z), z, 0.0)


def _subsample(x: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    if len(x) <= size:
        return x
    return x[np.sort(rng.choice(len(x), size=size, replace=False))]


def mmd_test(
    reference: np.ndarray,
    current: np.ndarray,
    *,
    alpha: float = 0.05,
    n_permutations: int = 300,
    max_samples: int = 500,
    seed: int = 0,
) -> MultivariateResult:
    """Permutation MMD test between two row samples (rows x features, standardised).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> same = mmd_test(rng.normal(size=(200, 3)), rng.normal(size=(200, 3)))
    >>> moved = mmd_test(rng.normal(size=(200, 3)), rng.normal(0.5, size=(200, 3)))
    >>> same.drift, moved.drift
    (False, True)
    """
    rng = np.random.default_rng(seed)
    x = _subsample(np.asarray(reference, dtype="float64"), max_samples, rng)
    y = _subsample(np.asarray(current, dtype="float64"), max_samples, rng)
    n, m = len(x), len(y)
    pooled = np.vstack([x, y])
    sq = np.einsum("ij,ij->i", pooled, pooled)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * pooled @ pooled.T, 0.0)
    off_diagonal = d2[np.triu_indices(n + m, k=1)]
    median = float(np.median(off_diagonal)) if off_diagonal.size else 0.0
    bandwidth = median if median > 0 else 1.0
    kernel = np.exp(-d2 / (2 * bandwidth))
    weights = np.concatenate([np.full(n, 1 / n), np.full(m, -1 / m)])
    shuffled = np.empty((n + m, n_permutations + 1))
    shuffled[:, 0] = weights
    for j in range(1, n_permutations + 1):
        shuffled[:, j] = rng.permutation(weights)
    mmd2 = np.einsum("ij,ij->j", shuffled, kernel @ shuffled)
    observed = float(mmd2[0])
    p_value = float((1 + np.sum(mmd2[1:] >= observed - 1e-12)) / (1 + n_permutations))
    verdict = verdict_for(observed, p_value, alpha)
    return MultivariateResult(
        "mmd", observed, p_value, alpha, verdict.value == "drift", verdict,
        {"n_reference": n, "n_current": m, "n_features": int(x.shape[1]),
         "n_permutations": n_permutations, "bandwidth_sq": bandwidth},
    )  # fmt: skip


def classifier_test(
    reference: np.ndarray,
    current: np.ndarray,
    *,
    alpha: float = 0.05,
    max_samples: int = 1000,
    seed: int = 0,
) -> MultivariateResult:
    """Domain-classifier drift: cross-validated ROC AUC of reference vs current.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> moved = classifier_test(rng.normal(size=(300, 2)), rng.normal(1.0, size=(300, 2)))
    >>> moved.drift, moved.statistic > 0.7
    (True, True)
    """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(seed)
    x = _subsample(np.asarray(reference, dtype="float64"), max_samples, rng)
    y = _subsample(np.asarray(current, dtype="float64"), max_samples, rng)
    n, m = len(x), len(y)
    features = np.vstack([x, y])
    labels = np.concatenate([np.zeros(n), np.ones(m)])
    fit_x, test_x, fit_y, test_y = train_test_split(
        features, labels, test_size=0.5, stratify=labels, random_state=seed
    )
    model = RandomForestClassifier(
        n_estimators=100, max_depth=8, min_samples_leaf=5, random_state=seed, n_jobs=1
    ).fit(fit_x, fit_y)
    scores = model.predict_proba(test_x)[:, 1]
    current_scores, reference_scores = scores[test_y == 1], scores[test_y == 0]
    test = stats.mannwhitneyu(current_scores, reference_scores, alternative="greater")
    n1, n2 = reference_scores.size, current_scores.size
    auc = float(test.statistic / (n1 * n2))
    p_value = float(test.pvalue)
    sd = float(np.sqrt((n1 + n2 + 1) / (12 * n1 * n2)))
    bound = 0.5 + float(stats.norm.ppf(1 - alpha)) * sd
    verdict = verdict_for(auc, p_value, alpha)
    return MultivariateResult(
        "classifier", auc, p_value, bound, verdict.value == "drift", verdict,
        {"n_reference": n, "n_current": m, "n_features": int(x.shape[1]),
         "held_out": int(test_y.size), "model": "random_forest"},
    )  # fmt: skip


MMD = MultivariateTest("mmd", mmd_test)
CLASSIFIER = MultivariateTest("classifier", classifier_test)
