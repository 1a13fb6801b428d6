"""The current side of a comparison: a table in memory, or the profile of a larger batch.

:func:`~calmops.drift.compare` reads the batch it tests through :func:`current_batch`, which
takes a DataFrame (each column is summarised on the reference's bin edges) or a
:class:`~calmops.drift.Profile` of the batch fitted like the reference — same column kinds,
numbers binned on the reference's edges (:func:`calmops.drift.partitioned.compare_parquet`
fits one slice by slice). The tests read the same sides either way, so a batch that fits in
memory gets the same report from both (up to the profile's ``cap``: above it the tests see
a uniform sample of ``cap`` current values, as they do of the reference).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift.kinds import column_kind, parse_numbers
from calmops.drift.profile import ColumnProfile, Profile
from calmops.drift.quality import Finding, column_findings
from calmops.drift.sides import CategoricalSide, NumericSide, Side
from calmops.errors import DataValidationError

__all__ = ["CurrentFrame", "CurrentProfile", "current_batch"]

#: rows of the current batch the multivariate tests draw (a profile keeps its row sample)
MULTIVARIATE_ROWS = 2_000


@dataclass(frozen=True)
class CurrentFrame:
    """A current batch held in memory."""

    frame: pd.DataFrame

    @property
    def columns(self) -> list[str]:
        """The batch's columns (every one, tested or not)."""
        return list(self.frame.columns)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def side(self, column: ColumnProfile) -> tuple[Side, list[Finding]]:
        """The current side of the reference ``column`` and its quality findings."""
        values = self.frame[column.name]
        unparseable, mixed = 0, False
        if isinstance(column.side, NumericSide):
            numbers, unparseable = parse_numbers(values)
            side: Side = NumericSide.from_values(numbers, edges=column.side.edges)
        else:
            side = CategoricalSide.from_values(values)
            if values.dtype == object:
                mixed = column_kind(values)[1]
        findings = column_findings(column, values, side, unparseable=unparseable, mixed_types=mixed)
        return side, findings

    def rows(self, names: list[str], seed: int) -> np.ndarray:
        """A seeded sample of rows of the numeric ``names``, for the multivariate tests."""
        rng = np.random.default_rng([seed, 2])
        size = min(self.n_rows, MULTIVARIATE_ROWS)
        rows = self.frame.iloc[np.sort(rng.choice(self.n_rows, size=size, replace=False))]
        return np.column_stack(
            [
                pd.to_numeric(rows[n], errors="coerce").to_numpy("float64", na_value=np.nan)
                for n in names
            ]
        )


@dataclass(frozen=True)
class CurrentProfile:
    """A current batch summarised as a profile (a batch too large to hold in memory)."""

    profile: Profile

    @property
    def columns(self) -> list[str]:
        """The batch's columns, those the profile skipped (dates, times) included."""
        return [*self.profile.columns, *self.profile.skipped]

    @property
    def n_rows(self) -> int:
        return self.profile.n_rows

    def side(self, column: ColumnProfile) -> tuple[Side, list[Finding]]:
        """The current side of the reference ``column`` and its quality findings."""
        if column.name in self.profile.skipped:
            raise DataValidationError(
                f"column {column.name!r} was not profiled in the current batch "
                f"({self.profile.skipped[column.name]}); fit it with kinds={{...}} as the "
                "reference's"
            )
        current = self.profile.columns[column.name]
        side = _on_reference_bins(column, current)
        return side, column_findings(
            column,
            current,
            side,
            unparseable=current.n_unparseable,
            mixed_types=current.mixed_types,
        )

    def rows(self, names: list[str], seed: int) -> np.ndarray:
        """The profile's own row sample of the numeric ``names`` (``seed`` is not used)."""
        have = self.profile.row_sample_columns
        if any(n not in have for n in names) or len(self.profile.row_sample) < 2:
            raise DataValidationError(
                "multivariate drift needs the current profile's row sample of the columns "
                f"{', '.join(names)}; fit it with row_sample > 1"
            )
        return self.profile.row_sample[:, [have.index(n) for n in names]]


def _on_reference_bins(column: ColumnProfile, current: ColumnProfile) -> Side:
    """The current side, its numbers counted in the reference's bins."""
    ref, side = column.side, current.side
    if isinstance(ref, CategoricalSide) != isinstance(side, CategoricalSide):
        raise DataValidationError(
            f"column {column.name!r} is {column.kind} in the reference and {current.kind} in "
            f"the current profile; fit the current one with kinds={{{column.name!r}: "
            f"{column.kind!r}}} (compare_parquet does)"
        )
    if not isinstance(ref, NumericSide) or not isinstance(side, NumericSide):
        return side
    if side.edges.shape == ref.edges.shape and np.array_equal(side.edges, ref.edges):
        return side
    if not side.is_full:
        raise DataValidationError(
            f"column {column.name!r} of the current profile is binned on other edges than the "
            "reference's and keeps only a sample; fit it with edges= the reference's "
            "(compare_parquet does)"
        )
    counts = NumericSide.from_values(side.sample, edges=ref.edges).counts
    return replace(side, edges=ref.edges, counts=counts)


def current_batch(current: Any) -> CurrentFrame | CurrentProfile:
    """The batch :func:`~calmops.drift.compare` tests: a DataFrame or a Profile, checked."""
    if isinstance(current, Profile):
        return CurrentProfile(current)
    if not isinstance(current, pd.DataFrame):
        raise DataValidationError(
            f"expected a pandas DataFrame or a Profile, got {type(current).__name__}"
        )
    if len(current) == 0:
        raise DataValidationError("the current table has no rows")
    current = current.rename(columns=str)
    if current.columns.duplicated().any():
        dupes = sorted(set(current.columns[current.columns.duplicated()]))
        raise DataValidationError(f"duplicate column names in the current data: {', '.join(dupes)}")
    return CurrentFrame(current)
