"""The default test for a column, by its kind and the reference size (as Evidently does).

=================  ===========================  ==========================================
column kind        reference <= 1000 rows        reference > 1000 rows
=================  ===========================  ==========================================
numeric            ``ks`` (p-value, alpha)       ``wasserstein`` (normed, threshold 0.1);
                                                 ``jensen_shannon`` if <= 5 distinct values
categorical        ``chi2`` (p-value, alpha)     ``jensen_shannon`` (threshold 0.1)
binary             ``z`` (p-value, alpha)        ``jensen_shannon`` (threshold 0.1)
=================  ===========================  ==========================================

Small samples get hypothesis tests; large ones get distances, because with enough rows a
test rejects for differences too small to matter. The choice can be forced per column
and per kind in :func:`~calmops.drift.compare`.
"""

from __future__ import annotations

__all__ = ["LARGE_REFERENCE", "default_test"]

#: above this many reference rows the defaults switch from tests to distances
LARGE_REFERENCE = 1000


def default_test(kind: str, n_reference: int, n_unique: int | None = None) -> str:
    """The name of the default test for a column.

    Examples
    --------
    >>> default_test("numeric", 500), default_test("numeric", 50_000)
    ('ks', 'wasserstein')
    >>> default_test("binary", 200), default_test("categorical", 5000)
    ('z', 'jensen_shannon')
    """
    if n_reference <= LARGE_REFERENCE:
        return {"numeric": "ks", "categorical": "chi2", "binary": "z"}[kind]
    if kind == "numeric" and (n_unique is None or n_unique > 5):
        return "wasserstein"
    return "jensen_shannon"
