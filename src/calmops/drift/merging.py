"""Merging the summaries of two partitions of a table into the summary of their union.

Counts, missing and infinite counts, ranges and category counts add up exactly; means and
standard deviations combine exactly (Chan et al.'s pairwise update); the merged sample is a
uniform random sample of the union (a hypergeometric split of the cap between the parts,
then uniform draws from each part's own uniform sample, keyed on the values so that the
draws are not fixed ranks). Bin counts are exact when both
parts share bin edges or are held in full; otherwise new edges come from the merged sample
and each part's counts are estimated from its sample. Parts binned on given edges (a current
batch binned on its reference's edges) keep them: ``keep_edges``.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np

from calmops.drift.sides import CategoricalSide, NumericSide, quantile_edges

__all__ = ["merge_categorical", "merge_numeric", "merge_samples"]


def merge_samples(
    a: np.ndarray, b: np.ndarray, n_a: int, n_b: int, size: int, rng: np.random.Generator
) -> np.ndarray:
    """A uniform sample of ``size`` items of the union, from uniform samples of each part."""
    size = min(size, n_a + n_b)
    if len(a) == n_a and len(b) == n_b and n_a + n_b <= size:
        return np.concatenate([a, b])
    k_a = int(rng.hypergeometric(n_a, n_b, size)) if n_a and n_b else (size if n_a else 0)
    take_a = np.sort(rng.choice(len(a), size=min(k_a, len(a)), replace=False))
    take_b = np.sort(rng.choice(len(b), size=min(size - k_a, len(b)), replace=False))
    return np.concatenate([a[take_a], b[take_b]])


def merge_numeric(
    a: NumericSide,
    b: NumericSide,
    cap: int,
    bins: int,
    rng: np.random.Generator,
    *,
    keep_edges: bool = False,
) -> NumericSide:
    """The numeric side of the union of two parts (see the module docstring); with
    ``keep_edges``, parts that share bin edges keep them even when held in full."""
    n = a.n + b.n
    if a.n == 0 or b.n == 0:
        base = a if a.n else b
        return replace(
            base, n_missing=a.n_missing + b.n_missing, n_infinite=a.n_infinite + b.n_infinite
        )
    delta = b.mean - a.mean
    mean = a.mean + delta * b.n / n
    m2 = a.std**2 * a.n + b.std**2 * b.n + delta**2 * a.n * b.n / n
    sample = np.sort(merge_samples(a.sample, b.sample, a.n, b.n, cap, _keyed(rng, a, b)))
    same_edges = a.edges.shape == b.edges.shape and np.array_equal(a.edges, b.edges)
    if a.is_full and b.is_full and not (keep_edges and same_edges):
        # every value is at hand: exact, as if fit on the union
        whole = NumericSide.from_values(np.concatenate([a.sample, b.sample]), bins=bins)
        edges, counts, n_unique = whole.edges, whole.counts, whole.n_unique
    else:
        n_unique = max(int(np.count_nonzero(np.diff(sample)) + 1), a.n_unique, b.n_unique)
        if same_edges:
            edges, counts = a.edges, a.counts + b.counts
        else:
            edges = quantile_edges(sample, bins)
            counts = sum(
                NumericSide.from_values(part.sample, edges=edges).counts
                * (part.n / part.sample.size)
                for part in (a, b)
            )
    return NumericSide(
        n=n,
        n_missing=a.n_missing + b.n_missing,
        n_infinite=a.n_infinite + b.n_infinite,
        n_unique=int(n_unique),  # a lower bound when a part was sampled
        mean=float(mean),
        std=float(np.sqrt(max(m2, 0.0) / n)),
        min=min(a.min, b.min),
        max=max(a.max, b.max),
        sample=sample,
        edges=edges,
        counts=counts,
    )


def _keyed(rng: np.random.Generator, a: NumericSide, b: NumericSide) -> np.random.Generator:
    """A generator keyed on the parts' values as well as the seed.

    The parts' samples are sorted, so positions drawn from a seed alone would pick the same
    ranks for every pair of tables of these sizes (a fixed set of order statistics, which is
    not a random sample). Keying the draw on the values makes the ranks vary with the data,
    as a random sample's do, and keeps the merge deterministic.
    """
    keys = [zlib.crc32(np.ascontiguousarray(s.sample).tobytes()) for s in (a, b)]
    return np.random.default_rng([int(rng.integers(2**32)), *keys])


def merge_categorical(a: CategoricalSide, b: CategoricalSide) -> CategoricalSide:
    """Category counts of the union: counts add up.

    Examples
    --------
    >>> merged = merge_categorical(
    ...     CategoricalSide.from_values(["a", "b"]), CategoricalSide.from_values(["b", "c"])
    ... )
    >>> merged.as_dict()
    {'a': 1, 'b': 2, 'c': 1}
    """
    counts = a.as_dict()
    for key, count in b.as_dict().items():
        counts[key] = counts.get(key, 0) + count
    return CategoricalSide.from_counts(counts, a.n_missing + b.n_missing)
