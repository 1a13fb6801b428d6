"""What every synthesizer shares: the one-method-pair protocol and the checks on its input.

A synthesizer learns a real table with ``fit(data, target=None)`` and draws new rows with
``sample(n, conditions=None, seed=None)``. The same fitted synthesizer and seed give the same
rows, bit for bit. Conditions name exact shares of the values of one column
(``{"churned": {"yes": 0.3, "no": 0.7}}``); a synthesizer meets them by conditioning on the
column, never by overwriting it after the fact (see :mod:`.conditions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from calmops.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Conditions", "Synthesizer", "check_fitted", "check_sample_size"]

Conditions = Mapping[str, Mapping[Any, float]]
"""``{column: {value: share}}``: exact shares of the values of one column in a sample."""


@runtime_checkable
class Synthesizer(Protocol):
    """Learns a table and draws new rows like it.

    ``name`` is the registry name (a class attribute); learned state ends in ``_``.
    """

    name: ClassVar[str]

    def fit(self, data: pd.DataFrame, target: str | None = None) -> Synthesizer:
        """Learn ``data`` (``target``: the column conditions and ``balance`` refer to)."""
        ...

    def sample(
        self, n: int, conditions: Conditions | None = None, seed: int | None = None
    ) -> pd.DataFrame:
        """``n`` new rows with the fitted table's columns and dtypes."""
        ...


def check_fitted(synthesizer: object) -> None:
    """Raise a clear error when ``sample`` is called before ``fit``."""
    if getattr(synthesizer, "schema_", None) is None:
        name = getattr(synthesizer, "name", type(synthesizer).__name__)
        raise DataValidationError(f"synthesizer {name!r} is not fitted; call fit(data) first")


def check_sample_size(n: object) -> int:
    """``n`` as an int when it is a whole number ≥ 1; else a DataValidationError.

    Examples
    --------
    >>> check_sample_size(5)
    5
    >>> check_sample_size(0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: the number of rows ... ≥ 1 (got 0)
    """
    if isinstance(n, bool) or not isinstance(n, int | float) or int(n) != n or n < 1:
        raise DataValidationError(
            f"the number of rows to sample must be a whole number ≥ 1 (got {n!r})"
        )
    return int(n)
