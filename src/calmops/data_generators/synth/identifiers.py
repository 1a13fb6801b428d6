"""Identifier-like columns: labels that name individuals rather than kinds of rows.

A categorical column is *identifier-like* when it has at least :data:`MIN_LABELS` labels and
fewer than :data:`MAX_ROWS_PER_LABEL` rows per label on average (the chick of ChickWeights: 50
chicks, about 12 measurements each). Its labels are quasi-identifiers (a threshold rule of
statistical disclosure control: a label held by fewer than ten rows singles them out), and a
tree that splits on one learns that individual's own rows: the measurements of a synthetic row
then come from the real rows of the chick it was given, and the table's real (chick, time,
weight) records come back nearly as they were.

So in sequential synthesis an identifier-like column is visited last and drawn only from its
*attributes* — the columns constant within each of its labels (a chick's diet) — and it is
a predictor of nothing but those attributes. The identifier keeps its shares and its
attributes (each chick keeps its diet), while the other columns are drawn as for the whole
population: what no longer survives is how one individual differs from the others (a chick
that grows faster).

Examples
--------
>>> import numpy as np
>>> chick = np.repeat(np.arange(30.0), 4)  # 30 labels, 4 rows each
>>> values = {"chick": chick, "diet": chick % 3, "weight": np.arange(120.0)}
>>> identifier_attributes(values, ["chick", "diet", "weight"], labels=["chick", "diet"])
{'chick': ('diet',)}
>>> predictors("weight", ["chick", "diet"], {"chick": ("diet",)})
['diet']
>>> predictors("chick", ["diet", "weight"], {"chick": ("diet",)})
['diet']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["MAX_ROWS_PER_LABEL", "MIN_LABELS", "identifier_attributes", "predictors"]

MIN_LABELS = 20
"""An identifier-like column has at least this many labels..."""
MAX_ROWS_PER_LABEL = 10
"""...and fewer rows than this per label on average."""


def identifier_attributes(
    values: Mapping[str, np.ndarray], names: Sequence[str], labels: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Every identifier-like column among ``labels`` and its attributes among ``names``.

    ``values`` are the columns in the working domain (NaN for missing, a value of its own).
    """
    out = {}
    for column in labels:
        present = values[column][~np.isnan(values[column])]
        distinct = len(np.unique(present))
        if distinct < MIN_LABELS or len(values[column]) >= MAX_ROWS_PER_LABEL * distinct:
            continue
        key = pd.Series(values[column])
        out[column] = tuple(
            other
            for other in names
            if other != column
            and pd.Series(values[other]).groupby(key, dropna=False).nunique(dropna=False).max() <= 1
        )
    return {c: tuple(a for a in attributes if a not in out) for c, attributes in out.items()}


def predictors(
    column: str, before: Sequence[str], identifiers: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """The columns of ``before`` that ``column``'s tree may split on: an identifier-like
    column only on its attributes; the others on everything but identifier-like columns
    (unless ``column`` is one of that identifier's attributes)."""
    if column in identifiers:
        return [c for c in before if c in identifiers[column]]
    return [c for c in before if c not in identifiers or column in identifiers[c]]
