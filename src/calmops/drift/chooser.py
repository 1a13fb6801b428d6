"""Which test each column gets: per column, then per kind, then the default by size.

The default comes from :func:`~calmops.drift.selection.default_test` on the smaller of the
two samples. A distance forced on a small sample is remembered, so
:func:`~calmops.drift.compare` can say that it is noisy there (a ``small_sample`` finding).
"""

from __future__ import annotations

from collections.abc import Mapping

from calmops.drift.base import DriftTest
from calmops.drift.profile import ColumnProfile, Profile
from calmops.drift.quality import Finding
from calmops.drift.registry import TESTS
from calmops.drift.selection import LARGE_REFERENCE, P_VALUE_TESTS, default_test, is_small
from calmops.drift.sides import NumericSide
from calmops.errors import DataValidationError

__all__ = ["Chooser"]


class Chooser:
    """The test of each column of ``profile``, checked against the column kinds up front.

    Examples
    --------
    >>> import pandas as pd
    >>> profile = Profile.fit(pd.DataFrame({"x": [float(i) for i in range(50)]}))
    >>> chooser = Chooser(numeric="psi", profile=profile)
    >>> chooser.test_for(profile.columns["x"], n_current=50).name
    'psi'
    >>> [f.kind for f in chooser.findings()]
    ['small_sample']
    """

    def __init__(
        self,
        numeric: str | None = None,
        categorical: str | None = None,
        binary: str | None = None,
        per_column: Mapping[str, str] | None = None,
        *,
        profile: Profile,
    ) -> None:
        self.by_kind = {
            "numeric": numeric,
            "categorical": categorical,
            "binary": binary or categorical,
        }
        self.per_column = dict(per_column or {})
        self.n_rows = profile.n_rows
        self.small_forced: dict[str, tuple[int, str]] = {}  # test -> (rows, kind)
        for kind, name in self.by_kind.items():
            if name is not None:
                self._check(TESTS.get(name), kind, f"{kind} columns")
        for column, name in self.per_column.items():
            if column in profile.columns:
                kind = profile.columns[column].kind
                self._check(TESTS.get(name), kind, f"column {column!r} ({kind})")

    @staticmethod
    def _check(test: DriftTest, kind: str, where: str) -> None:
        if kind not in test.applies_to:
            fitting = sorted(n for n in TESTS if kind in TESTS.get(n).applies_to)
            raise DataValidationError(
                f"test {test.name!r} does not apply to {where}; choose from {', '.join(fitting)}"
            )

    def test_for(self, column: ColumnProfile, n_current: int) -> DriftTest:
        """The test of ``column`` when the current sample has ``n_current`` usable values."""
        name = self.per_column.get(column.name) or self.by_kind[column.kind]
        if name is None:
            n_unique = column.side.n_unique if isinstance(column.side, NumericSide) else None
            name = default_test(column.kind, column.side.n, n_unique, n_current)
        test = TESTS.get(name)
        if test.yields != "p_value" and is_small(column.side.n, n_current):
            rows = min(column.side.n, n_current)
            known = self.small_forced.get(name, (rows, column.kind))
            self.small_forced[name] = (min(rows, known[0]), known[1])
        return test

    def findings(self) -> list[Finding]:
        """One ``small_sample`` warning per distance used on too small a sample."""
        out = []
        for name, (rows, kind) in self.small_forced.items():
            better = P_VALUE_TESTS[kind]
            out.append(
                Finding(
                    "small_sample",
                    None,
                    "warning",
                    f"{rows} rows is small for {name}: below {LARGE_REFERENCE} rows a distance "
                    f"is noisy and passes its threshold by chance; the p-value test ({better}) "
                    f"decides significance; consider --{kind}-test {better}",
                    {"test": name, "rows": rows, "limit": LARGE_REFERENCE, "suggested": better},
                )
            )
        return out
