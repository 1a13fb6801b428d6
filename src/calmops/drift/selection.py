"""The default test for a column, by its kind and the sample size (as Evidently does).

The size is the smaller of the two samples: the reference rows, and the current rows when
they are known.

=================  ===========================  ==========================================
column kind        <= 1000 rows                 > 1000 rows
=================  ===========================  ==========================================
numeric            ``ks`` (p-value, alpha)       ``wasserstein`` (normed, threshold 0.1);
                                                 ``jensen_shannon`` if <= 5 distinct values
categorical        ``chi2`` (p-value, alpha)     ``jensen_shannon`` (threshold 0.1)
binary             ``z`` (p-value, alpha)        ``jensen_shannon`` (threshold 0.1)
=================  ===========================  ==========================================

Small samples get hypothesis tests; large ones get distances, because with enough rows a
test rejects for differences too small to matter. Below :data:`LARGE_REFERENCE` rows a
distance is noisy: between two random halves of one 569-row table, normed Wasserstein and
PSI pass their 0.1 threshold on most columns. So the automatic choice there is the p-value
test, a distance forced on such a sample gets a ``small_sample`` finding, and the verdict
says that the p-value test decides. The choice can be forced per column and per kind in
:func:`~calmops.drift.compare`.
"""

from __future__ import annotations

__all__ = ["LARGE_REFERENCE", "P_VALUE_TESTS", "default_test", "is_small"]

#: at or below this many rows (the smaller side) the defaults are tests, not distances
LARGE_REFERENCE = 1000

#: the p-value test of each column kind: the default on small samples, and the
#: significance check beside a distance
P_VALUE_TESTS = {"numeric": "ks", "categorical": "chi2", "binary": "z"}


def is_small(n_reference: int, n_current: int | None = None) -> bool:
    """Whether a sample is too small for distances (<= :data:`LARGE_REFERENCE` rows).

    Examples
    --------
    >>> is_small(50_000, 114), is_small(50_000, 5_000)
    (True, False)
    """
    n = n_reference if n_current is None else min(n_reference, n_current)
    return n <= LARGE_REFERENCE


def default_test(
    kind: str, n_reference: int, n_unique: int | None = None, n_current: int | None = None
) -> str:
    """The name of the default test for a column.

    Examples
    --------
    >>> default_test("numeric", 500), default_test("numeric", 50_000)
    ('ks', 'wasserstein')
    >>> default_test("numeric", 50_000, n_current=114)
    'ks'
    >>> default_test("binary", 200), default_test("categorical", 5000)
    ('z', 'jensen_shannon')
    """
    if is_small(n_reference, n_current):
        return P_VALUE_TESTS[kind]
    if kind == "numeric" and (n_unique is None or n_unique > 5):
        return "wasserstein"
    return "jensen_shannon"
