"""Column shuffling: each named column permuted on its own, seeded.

Every column keeps its exact marginal distribution, but its values no longer sit on the rows
they came from, so a released row cannot be linked to a person through them (and their
correlation with the other columns is gone: shuffle only what no analysis joins on).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calmops.privacy.columns import check_columns

__all__ = ["shuffle_columns"]


def shuffle_columns(
    frame: pd.DataFrame, columns: list[str], seed: int | np.random.Generator = 0
) -> pd.DataFrame:
    """A copy of ``frame`` with each of ``columns`` independently permuted.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"zip": [1, 2, 3, 4, 5], "x": [1, 2, 3, 4, 5]})
    >>> out = shuffle_columns(frame, ["zip"], seed=0)
    >>> sorted(out["zip"]) == [1, 2, 3, 4, 5], out["x"].tolist()
    (True, [1, 2, 3, 4, 5])
    >>> out.equals(shuffle_columns(frame, ["zip"], seed=0))
    True
    """
    check_columns(frame, columns, "shuffle")
    rng = np.random.default_rng(seed)
    out = frame.copy()
    for column in columns:
        order = rng.permutation(len(frame))
        out[column] = frame[column].to_numpy()[order]
    return out
