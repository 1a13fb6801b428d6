"""Detection: can a classifier tell real rows from synthetic ones?

Equal numbers of real and synthetic rows (at most :data:`MAX_ROWS` of each, drawn with the
seed) are labelled 0 and 1; a histogram gradient-boosting classifier (scikit-learn's, with
native categorical features and missing values) is scored by ROC AUC in
:data:`FOLDS`-fold cross-validation. Identical rows go to the same fold, whichever side they
come from: split apart, a synthetic copy of a real row would be predicted from its twin's
label and the AUC would fall far below 0.5. 0.5 means indistinguishable, 1.0 means every
synthetic row is recognisable. Clearly below 0.5 (0.4 on a few hundred rows) is no better:
it is the mark of *near*-copies, each synthetic row beside its real donor, so that the label
learnt for one is predicted, wrongly, for its twin in another fold; read the privacy figures.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from calmops.data_generators.evaluation.tables import align
>>> rng = np.random.default_rng(0)
>>> real = pd.DataFrame({"x": rng.normal(size=400)})
>>> shifted = pd.DataFrame({"x": rng.normal(3, 1, size=400)})
>>> round(detection(align(real, shifted), seed=0).auc, 1)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calmops.data_generators.evaluation.tables import (
    MISSING,
    Aligned,
    category_codes,
    row_hashes,
    sample_rows,
)

__all__ = ["FOLDS", "MAX_ROWS", "Detection", "detection", "feature_matrices", "one_thread"]

MAX_ROWS = 5_000
"""Rows of each side the classifier sees at most (seeded subsample)."""
FOLDS = 3
MAX_CATEGORIES = 255
"""HistGradientBoosting's limit on the codes of a native categorical feature."""


def one_thread():
    """A context running the models on one OpenMP thread: these fits are small, and on a
    busy machine several OpenMP threads spin-wait and run tens of times slower."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


@dataclass(frozen=True)
class Detection:
    """Mean cross-validated ROC AUC and how it was obtained."""

    auc: float
    fold_aucs: tuple[float, ...]
    rows_per_side: int
    model: str = "hist_gradient_boosting"


def feature_matrices(
    tables: list[dict[str, np.ndarray]], columns: list[tuple[str, str]]
) -> tuple[list[np.ndarray], np.ndarray]:
    """One float matrix per table (categoricals as shared codes, missing as NaN) and the
    boolean mask of categorical columns, for scikit-learn's histogram gradient boosting."""
    blocks: list[list[np.ndarray]] = [[] for _ in tables]
    mask = []
    for name, kind in columns:
        if kind == "numeric":
            for block, table in zip(blocks, tables, strict=True):
                block.append(table[name].astype(float))
            mask.append(False)
            continue
        codes, _ = category_codes([t[name] for t in tables], MAX_CATEGORIES)
        for block, table, code in zip(blocks, tables, codes, strict=True):
            column = code.astype(float)
            column[table[name] == MISSING] = np.nan
            block.append(column)
        mask.append(True)
    matrices = [np.column_stack(b) if b else np.empty((0, 0)) for b in blocks]
    return matrices, np.array(mask, dtype=bool)


def detection(aligned: Aligned, seed: int = 0) -> Detection:
    """Cross-validated ROC AUC of real-versus-synthetic classification (see module doc)."""
    rng = np.random.default_rng(seed)
    n = min(aligned.sizes[0], aligned.sizes[1], MAX_ROWS)
    columns = [(c.name, c.kind) for c in aligned.columns]
    sides = []
    for side in (0, 1):
        rows = sample_rows(aligned.sizes[side], n, rng)
        sides.append({k: v[rows] for k, v in aligned.values[side].items()})
    (real, synthetic), mask = feature_matrices(sides, columns)
    x = np.vstack([real, synthetic])
    y = np.repeat([0, 1], n)
    folds = min(FOLDS, n)
    if folds < 2:
        return Detection(auc=0.5, fold_aucs=(), rows_per_side=n)
    groups = np.unique(np.concatenate([row_hashes(side) for side in sides]), return_inverse=True)[1]
    fold_of = rng.permutation(np.arange(groups.max() + 1) % folds)[groups]
    aucs = []
    for fold in range(folds):
        train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        if np.unique(y[test]).size < 2 or np.unique(y[train]).size < 2:
            continue
        with one_thread():
            aucs.append(_fold_auc(x, y, train, test, mask, seed))
    if not aucs:
        return Detection(auc=0.5, fold_aucs=(), rows_per_side=n)
    return Detection(auc=float(np.mean(aucs)), fold_aucs=tuple(aucs), rows_per_side=n)


def _fold_auc(x, y, train, test, mask, seed: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    model = HistGradientBoostingClassifier(
        max_iter=100,
        categorical_features=mask if mask.any() else None,
        early_stopping=False,
        random_state=seed,
    )
    model.fit(x[train], y[train])
    return float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
