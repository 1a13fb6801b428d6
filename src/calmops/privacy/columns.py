"""The one check every transform and the report share: the named columns exist."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from calmops.errors import DataValidationError

__all__ = ["check_columns"]

_SHOWN = 12


def check_columns(frame: pd.DataFrame, names: Iterable[str], where: str) -> None:
    """Raise :class:`DataValidationError` naming the first unknown column and the real ones.

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"age": [1]}), ["age"], "generalize")
    >>> check_columns(pd.DataFrame({"age": [1]}), ["zip"], "shuffle")
    Traceback (most recent call last):
    calmops.errors.DataValidationError: unknown column 'zip' in shuffle (the table has: age)
    """
    present = set(map(str, frame.columns))
    for name in names:
        if name not in present:
            listed = [str(c) for c in frame.columns]
            shown = ", ".join(listed[:_SHOWN]) + (" ..." if len(listed) > _SHOWN else "")
            raise DataValidationError(
                f"unknown column '{name}' in {where} (the table has: {shown})"
            )
