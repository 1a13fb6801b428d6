"""k-anonymity by row suppression: rows whose quasi-identifier combination is shared by fewer
than ``k`` rows are dropped.

Rows, not cells, are suppressed: dropping a whole equivalence class leaves every other class
as it was, so one pass reaches k-anonymity (every remaining class has at least ``k`` rows) and
no guessing which cell to blank is needed. Missing values in a quasi-identifier form a class
of their own. Generalize first (coarser bins, shorter dates) to lose fewer rows; the result
says how many were suppressed.

References
----------
Sweeney, "k-anonymity: a model for protecting privacy", Int. J. Uncertainty, Fuzziness and
Knowledge-Based Systems 10(5), 2002.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from calmops.errors import DataValidationError
from calmops.privacy.columns import check_columns

__all__ = ["Suppression", "class_sizes", "enforce_k_anonymity"]


def class_sizes(frame: pd.DataFrame, quasi_identifiers: list[str]) -> pd.Series:
    """The size of each row's quasi-identifier equivalence class, aligned with ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"age": [30, 30, 40, None], "sex": ["f", "f", "m", "m"]})
    >>> class_sizes(frame, ["age", "sex"]).tolist()
    [2, 2, 1, 1]
    """
    if frame.empty:
        return pd.Series([], dtype="int64", index=frame.index)
    grouped = frame.groupby(quasi_identifiers, dropna=False, sort=False, observed=True)
    return grouped[quasi_identifiers[0]].transform("size").astype("int64")


@dataclass(frozen=True)
class Suppression:
    """The k-anonymous table and what it cost."""

    frame: pd.DataFrame
    k: int
    quasi_identifiers: tuple[str, ...]
    rows_in: int
    rows_suppressed: int
    classes_suppressed: int

    @property
    def share_suppressed(self) -> float:
        return self.rows_suppressed / self.rows_in if self.rows_in else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "quasi_identifiers": list(self.quasi_identifiers),
            "unit": "rows",
            "rows_in": self.rows_in,
            "rows_suppressed": self.rows_suppressed,
            "share_suppressed": self.share_suppressed,
            "classes_suppressed": self.classes_suppressed,
        }


def enforce_k_anonymity(
    frame: pd.DataFrame, quasi_identifiers: list[str], k: int, max_suppressed: float = 1.0
) -> Suppression:
    """Drop the rows of every quasi-identifier class smaller than ``k``.

    Raises
    ------
    DataValidationError
        For an unknown column, ``k`` below 1 or larger than the table, when every row or
        more than ``max_suppressed`` of them would go (generalize the quasi-identifiers more).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"age": ["20s"] * 3 + ["30s"] * 2 + ["90s"], "x": range(6)})
    >>> result = enforce_k_anonymity(frame, ["age"], k=2)
    >>> result.frame["x"].tolist(), result.rows_suppressed, result.classes_suppressed
    ([0, 1, 2, 3, 4], 1, 1)
    """
    check_columns(frame, quasi_identifiers, "k_anonymity.quasi_identifiers")
    if k < 1:
        raise DataValidationError(f"k must be at least 1, got {k}")
    if k > len(frame):
        raise DataValidationError(
            f"k={k} is larger than the table ({len(frame)} rows): no class can reach it"
        )
    sizes = class_sizes(frame, quasi_identifiers)
    small = sizes < k
    suppressed = int(small.sum())
    if suppressed == len(frame):
        raise DataValidationError(
            f"k={k} over {', '.join(quasi_identifiers)} would suppress every row "
            f"(the largest class has {int(sizes.max())}); generalize the quasi-identifiers "
            "more or lower k"
        )
    if suppressed > max_suppressed * len(frame):
        raise DataValidationError(
            f"k={k} over {', '.join(quasi_identifiers)} would suppress {suppressed} of "
            f"{len(frame)} rows (more than max_suppressed={max_suppressed:g}); "
            "generalize the quasi-identifiers more or lower k"
        )
    classes = frame.loc[small, quasi_identifiers].drop_duplicates()
    return Suppression(
        frame=frame.loc[~small].reset_index(drop=True),
        k=k,
        quasi_identifiers=tuple(quasi_identifiers),
        rows_in=len(frame),
        rows_suppressed=suppressed,
        classes_suppressed=len(classes),
    )
