"""How close released rows are to original rows: exact matches, near duplicates and the
distance to the closest original record (DCR).

Both tables are compared on their common columns, encoded the same way: a column numeric on
both sides is standardized with the original's mean and standard deviation (missing values at
the mean); any other column is one-hot over the original's categories (compared as text,
missing as a category of its own). Left out, and listed in ``skipped`` with the reason:
categorical columns with more than ``max_categories`` distinct original values (identifier-
like: a pseudonymized id never matches its raw value and would add the same distance to every
row), and columns the release generalized (numeric only in the original, or released values
mostly not among the original's), since a changed kind of value says nothing about closeness.
The distance is Euclidean (scikit-learn nearest neighbours); a category mismatch adds
``sqrt(2)``. The original's own nearest-neighbour distances (to another original row) give the
scale: released rows much closer to the originals than originals are to each other were
likely copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MIN_OVERLAP", "NEAR_ALERT_SHARE", "Closeness", "closeness"]

_NA = "<NA>"
#: a categorical column is compared only if this share of its released values are original ones
MIN_OVERLAP = 0.5
#: near duplicates at the default threshold alert above this share (twice the chance rate)
NEAR_ALERT_SHARE = 0.10


@dataclass(frozen=True)
class Closeness:
    """Exact and near matches of released rows, and their distances to the closest record."""

    columns: tuple[str, ...]
    skipped: dict[str, str]
    n_released: int
    exact_matches: int
    near_duplicates: int
    near_threshold: float
    near_alert: bool
    dcr: dict[str, float]
    original_nn: dict[str, float]
    sampled_rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        n = max(self.n_released, 1)
        return {
            "columns": list(self.columns),
            "skipped": self.skipped,
            "exact_matches": self.exact_matches,
            "share_exact": self.exact_matches / n,
            "near_duplicates": self.near_duplicates,
            "share_near": self.near_duplicates / (self.sampled_rows or n),
            "near_threshold": self.near_threshold,
            "near_alert": self.near_alert,
            "dcr": self.dcr,
            "original_nn": self.original_nn,
            "sampled_rows": self.sampled_rows,
        }


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _text(series: pd.Series) -> np.ndarray:
    return series.astype(object).where(series.notna(), _NA).astype(str).to_numpy()


def _overlap(original: pd.Series, released: pd.Series) -> float:
    """The share of released values that are also original values (as text)."""
    if not len(released):
        return 1.0
    return float(np.isin(_text(released), np.unique(_text(original))).mean())


def _plan(
    original: pd.DataFrame, released: pd.DataFrame, max_categories: int
) -> tuple[list[str], list[str], dict[str, str]]:
    """(numeric columns, categorical columns, skipped columns with the reason)."""
    numeric, categorical, skipped = [], [], {}
    released_names = set(map(str, released.columns))
    for name in map(str, original.columns):
        if name not in released_names:
            skipped[name] = "not in the released table"
        elif _numeric(original[name]) and _numeric(released[name]):
            numeric.append(name)
        elif _numeric(original[name]):
            skipped[name] = "numeric in the original only (binned?)"
        elif original[name].nunique(dropna=False) > max_categories:
            distinct = original[name].nunique(dropna=False)
            skipped[name] = f"identifier-like ({distinct} distinct values)"
        elif _overlap(original[name], released[name]) < MIN_OVERLAP:
            skipped[name] = "released values mostly not among the original's (generalized?)"
        else:
            categorical.append(name)
    return numeric, categorical, skipped


def _encode(
    original: pd.DataFrame, released: pd.DataFrame, numeric: list[str], categorical: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    parts_o, parts_r = [], []
    for name in numeric:
        o = original[name].to_numpy(dtype=float, na_value=np.nan)
        r = released[name].to_numpy(dtype=float, na_value=np.nan)
        mean, sd = np.nanmean(o) if np.isfinite(o).any() else 0.0, np.nanstd(o)
        sd = sd if np.isfinite(sd) and sd > 0 else 1.0
        parts_o.append(np.nan_to_num((o - mean) / sd)[:, None])
        parts_r.append(np.nan_to_num((r - mean) / sd)[:, None])
    for name in categorical:
        o, r = _text(original[name]), _text(released[name])
        levels = np.unique(o)
        parts_o.append((o[:, None] == levels[None, :]).astype(np.float32))
        parts_r.append((r[:, None] == levels[None, :]).astype(np.float32))
    if not parts_o:
        return np.zeros((len(original), 0)), np.zeros((len(released), 0))
    return np.hstack(parts_o).astype(np.float32), np.hstack(parts_r).astype(np.float32)


def _row_keys(frame: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.Series:
    parts = {n: frame[n].astype(float) for n in numeric}
    parts |= {n: pd.Series(_text(frame[n]), index=frame.index) for n in categorical}
    return pd.util.hash_pandas_object(pd.DataFrame(parts), index=False)


def _stats(values: np.ndarray) -> dict[str, float]:
    if not len(values):
        return {}
    return {
        "min": float(values.min()),
        "p05": float(np.quantile(values, 0.05)),
        "median": float(np.median(values)),
        "mean": float(values.mean()),
    }


def closeness(
    original: pd.DataFrame,
    released: pd.DataFrame,
    *,
    near_threshold: float | None = None,
    max_categories: int = 50,
    max_rows: int = 50_000,
    seed: int = 0,
) -> Closeness:
    """Exact matches, near duplicates (DCR at most ``near_threshold``, not exact) and DCR.

    Without ``near_threshold`` it is the originals' own 5th-percentile nearest-neighbour
    distance: an independent sample of the same population has about 5% of its rows that
    close by chance, so near duplicates raise an alert (``near_alert``) above
    :data:`NEAR_ALERT_SHARE`; with a threshold given, any near duplicate does.

    Tables longer than ``max_rows`` are sampled (seeded) for the distances (near duplicates
    are then counted among the sampled released rows); exact matches always use every row.

    Examples
    --------
    >>> import pandas as pd
    >>> original = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": ["a", "b", "a", "b"]})
    >>> released = pd.DataFrame({"x": [0.0, 1.05, 9.0], "c": ["a", "b", "a"]})
    >>> result = closeness(original, released, near_threshold=0.1)
    >>> result.exact_matches, result.near_duplicates, round(result.dcr["min"], 3)
    (1, 1, 0.0)
    """
    numeric, categorical, skipped = _plan(original, released, max_categories)
    keys_o = set(_row_keys(original, numeric, categorical))
    exact = _row_keys(released, numeric, categorical).isin(keys_o).to_numpy()
    n_released, n_exact = len(released), int(exact.sum())
    ref, released, exact, sampled = _sampled(original, released, exact, max_rows, seed)
    x_o, x_r = _encode(ref, released, numeric, categorical)
    dcr, nn = _distances(x_o, x_r)
    threshold = near_threshold
    if threshold is None:
        threshold = float(np.quantile(nn, 0.05)) if len(nn) else 0.0
    near = int(((dcr <= threshold) & ~exact).sum())
    share = near / len(exact) if len(exact) else 0.0  # of the (sampled) rows measured
    alert = near > 0 if near_threshold is not None else share > NEAR_ALERT_SHARE
    return Closeness(
        columns=tuple(numeric + categorical),
        skipped=skipped,
        n_released=n_released,
        exact_matches=n_exact,
        near_duplicates=near,
        near_threshold=threshold,
        near_alert=alert,
        dcr=_stats(dcr),
        original_nn=_stats(nn),
        sampled_rows=sampled,
    )


def _sampled(
    original: pd.DataFrame, released: pd.DataFrame, exact: np.ndarray, max_rows: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, int | None]:
    """At most ``max_rows`` of each table for the distances (released rows drawn first, with
    their exact-match flags), and the released sample's size (None: not sampled)."""
    rng = np.random.default_rng(seed)
    sampled = None
    if len(released) > max_rows:
        sampled = max_rows
        keep = np.sort(rng.choice(len(released), max_rows, replace=False))
        released, exact = released.iloc[keep], exact[keep]
    ref = original
    if len(original) > max_rows:
        ref = original.iloc[np.sort(rng.choice(len(original), max_rows, replace=False))]
    return ref, released, exact, sampled


def _distances(x_o: np.ndarray, x_r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DCR of each released row, and each original row's distance to its nearest other one."""
    from sklearn.neighbors import NearestNeighbors

    if not len(x_o) or not len(x_r) or not x_o.shape[1]:
        return np.zeros(0), np.zeros(0)
    model = NearestNeighbors(n_neighbors=min(2, len(x_o))).fit(x_o)
    dcr = model.kneighbors(x_r, n_neighbors=1)[0][:, 0]
    nn = model.kneighbors(x_o)[0][:, -1] if len(x_o) > 1 else np.zeros(0)
    return dcr, nn
