"""How big an IPIP model is: the number of ensembles ``p`` and the largest ensemble ``b``.

From the minority count ``n`` of the training rows (Guillén-Teruel et al., "FILM", 2025):

- each partition draws ``m = round(prop_minority · n)`` minority rows (with replacement) and
  ``round(m · prop_majority / (1 − prop_majority))`` majority rows;
- ``p = ceil(log(1 − confidence) / (m · log(1 − 1/n)))`` partitions, so that every minority
  row is drawn into at least one partition with probability ``confidence`` (0.99);
- ``b = ceil(log(1 − confidence) / (m · log(1 − 1/m)))`` models at most per ensemble, so
  that every minority row of a partition is drawn into at least one model's balanced
  resample of ``m`` rows per class with the same probability.

Both are at least 1; either can be fixed instead of derived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["IPIPSizes", "ipip_sizes"]


@dataclass(frozen=True)
class IPIPSizes:
    """The shape of one IPIP fit."""

    p: int  # ensembles (partitions)
    b: int  # largest number of models in one ensemble
    minority_rows: int  # minority rows drawn into each partition (m)
    majority_rows: int  # majority rows drawn into each partition


def _draws_needed(confidence: float, draws: int, pool: int) -> int:
    """Rounds of ``draws`` picks from ``pool`` items until each is picked w.p. ``confidence``."""
    if pool <= 1:
        return 1
    return max(1, math.ceil(math.log(1 - confidence) / (draws * math.log(1 - 1 / pool))))


def ipip_sizes(
    n_minority: int,
    *,
    prop_minority: float = 0.75,
    prop_majority: float = 0.55,
    confidence: float = 0.99,
    p: int | None = None,
    b: int | None = None,
) -> IPIPSizes:
    """The IPIP sizes for ``n_minority`` minority rows (``p`` and ``b`` override the formula).

    Examples
    --------
    >>> ipip_sizes(100)
    IPIPSizes(p=7, b=5, minority_rows=75, majority_rows=92)
    >>> ipip_sizes(100, p=3).p, ipip_sizes(1).p
    (3, 1)
    """
    if n_minority < 1:
        raise ValueError(f"IPIP needs at least one minority row, got {n_minority}")
    m = max(1, round(prop_minority * n_minority))
    majority = max(1, round(m * prop_majority / (1 - prop_majority)))
    return IPIPSizes(
        p=p if p is not None else _draws_needed(confidence, m, n_minority),
        b=b if b is not None else _draws_needed(confidence, m, m),
        minority_rows=m,
        majority_rows=majority,
    )
