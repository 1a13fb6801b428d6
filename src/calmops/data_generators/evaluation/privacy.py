"""Privacy: does the synthetic table give away rows of the real (training) table?

- ``exact_copies``: share of synthetic rows identical, in every column, to some training row
  (missing equals missing). Compare it with ``holdout_exact_copies``, the share of holdout
  rows identical to a training row: on tables with few distinct rows, chance alone gives it.
- Distances (DCR, distance to closest record) are Euclidean on numeric columns standardized
  by the training table (missing set to the mean, plus a 0/1 missing indicator) and one-hot
  categorical columns (the :data:`MAX_ONE_HOT` − 1 most frequent labels, the rest pooled);
  nearest neighbours come from scikit-learn. At most :data:`MAX_QUERIES` synthetic rows are
  measured (a seeded subsample).
- ``dcr_5th_percentile``: 5th percentile of the synthetic rows' distances to the closest
  training row, beside ``holdout_dcr_5th_percentile``, the same figure for holdout rows (what
  unseen real rows look like; a much smaller synthetic figure means near-copies).
- ``dcr_closer_to_train`` (needs a holdout): share of synthetic rows whose closest training
  row is closer than their closest holdout row, ties counting one half, with the larger of
  the two tables cut to the smaller's size — as the exact expectation over every such cut
  (see :mod:`.closer`), so 0.5 means the synthetic rows are no closer to the training rows
  than to unseen real rows, and the figure carries no noise from one random cut. A verbatim
  copy of the training table scores 1 when train and holdout have the same size; with a
  70/30 split a copy is closer to the cut training side when the cut keeps its own row
  (3/7) and otherwise as often as not (the cut and the holdout are alike), so 5/7 ≈ 0.71.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from calmops.data_generators.evaluation.tables import align
>>> rng = np.random.default_rng(0)
>>> real, holdout = (pd.DataFrame({"x": rng.normal(size=500)}) for _ in range(2))
>>> result = privacy(align(real, real.copy(), holdout), seed=0)
>>> result.exact_copies, result.dcr_closer_to_train, result.dcr_5th_percentile
(1.0, 1.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calmops.data_generators.evaluation.closer import closer_to_train
from calmops.data_generators.evaluation.tables import (
    Aligned,
    category_codes,
    row_hashes,
    sample_rows,
)

__all__ = ["MAX_ONE_HOT", "MAX_QUERIES", "Privacy", "privacy"]

MAX_QUERIES = 10_000
MAX_ONE_HOT = 50


@dataclass(frozen=True)
class Privacy:
    """Copy and distance figures; the holdout ones are ``None`` without a holdout."""

    exact_copies: float
    dcr_5th_percentile: float
    dcr_closer_to_train: float | None = None
    holdout_exact_copies: float | None = None
    holdout_dcr_5th_percentile: float | None = None


def _encode(aligned: Aligned) -> list[np.ndarray]:
    """Every table as the standardized numeric + one-hot matrix (train's scales)."""
    tables = list(aligned.values)
    blocks: list[list[np.ndarray]] = [[] for _ in tables]
    for column in aligned.columns:
        arrays = [t[column.name] for t in tables]
        if column.kind == "numeric":
            train = arrays[0][~np.isnan(arrays[0])]
            centre = float(train.mean()) if train.size else 0.0
            scale = float(train.std()) if train.size and train.std() > 0 else 1.0
            any_missing = any(np.isnan(a).any() for a in arrays)
            for block, values in zip(blocks, arrays, strict=True):
                missing = np.isnan(values)
                block.append(np.where(missing, 0.0, (values - centre) / scale)[:, None])
                if any_missing:
                    block.append(missing.astype(float)[:, None])
            continue
        codes, labels = category_codes(arrays, MAX_ONE_HOT)
        eye = np.eye(len(labels))
        for block, code in zip(blocks, codes, strict=True):
            block.append(eye[code])
    return [np.hstack(b) for b in blocks]


def _nearest(reference: np.ndarray, queries: np.ndarray) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    finder = NearestNeighbors(n_neighbors=1).fit(reference)
    return finder.kneighbors(queries, return_distance=True)[0][:, 0]


def privacy(aligned: Aligned, seed: int = 0) -> Privacy:
    """Exact copies and distances to the closest record (see module doc)."""
    rng = np.random.default_rng(seed)
    hashes = [row_hashes(t) for t in aligned.values]
    exact = float(np.isin(hashes[1], hashes[0]).mean())
    matrices = _encode(aligned)
    train, synthetic = matrices[0], matrices[1]
    synthetic = synthetic[sample_rows(len(synthetic), MAX_QUERIES, rng)]
    to_train = _nearest(train, synthetic)
    fifth = float(np.percentile(to_train, 5))
    if len(matrices) < 3:
        return Privacy(exact_copies=exact, dcr_5th_percentile=fifth)
    holdout = matrices[2]
    holdout_exact = float(np.isin(hashes[2], hashes[0]).mean())
    queries = holdout[sample_rows(len(holdout), MAX_QUERIES, rng)]
    holdout_fifth = float(np.percentile(_nearest(train, queries), 5))
    closer = closer_to_train(train, holdout, synthetic)
    return Privacy(
        exact_copies=exact,
        dcr_5th_percentile=fifth,
        dcr_closer_to_train=closer,
        holdout_exact_copies=holdout_exact,
        holdout_dcr_5th_percentile=holdout_fifth,
    )
