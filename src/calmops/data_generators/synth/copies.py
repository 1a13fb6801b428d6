"""Replicated uniques: synthetic rows that reproduce a row found only once in the real table.

A real row that no other real row shares (a *unique*) can single a person out; a synthetic
row identical to it discloses it, whichever way the synthesizer got there. Statistical
disclosure control removes such rows after synthesis (synthpop's
``sdc(rm.replicated.uniques = TRUE)``, Nowok, Raab & Dibben 2016 §5); a synthesizer that
keeps its sample size redraws them instead. Copies of rows that several real rows share are
kept: they are common patterns (on a table with few distinct rows, unseen real rows repeat
them as well).

Rows are compared in the working domain of :mod:`.encoding` (numbers and category indices,
NaN for missing, ``-0.0`` read as ``0.0``): each row is hashed to 64 bits.

Examples
--------
>>> import numpy as np
>>> real = {"a": np.array([1.0, 1.0, 2.0]), "b": np.array([0.0, 0.0, np.nan])}
>>> uniques = unique_rows(real)
>>> replicated({"a": np.array([2.0, 1.0, 2.0]), "b": np.array([np.nan, 0.0, 1.0])}, uniques)
array([ True, False, False])
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["replicated", "row_keys", "unique_rows"]


def row_keys(values: Mapping[str, np.ndarray]) -> np.ndarray:
    """One 64-bit hash per row of the columns ``values`` (in their order)."""
    frame = pd.DataFrame({name: np.asarray(v, dtype=float) + 0.0 for name, v in values.items()})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def unique_rows(values: Mapping[str, np.ndarray]) -> np.ndarray:
    """The sorted keys of the rows that appear exactly once in ``values``."""
    keys, counts = np.unique(row_keys(values), return_counts=True)
    return keys[counts == 1]


def replicated(values: Mapping[str, np.ndarray], uniques: np.ndarray) -> np.ndarray:
    """True for each row of ``values`` whose key is one of ``uniques`` (same column order)."""
    return np.isin(row_keys(values), uniques, assume_unique=False)
