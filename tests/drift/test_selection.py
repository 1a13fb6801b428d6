from __future__ import annotations

import pytest

from calmops.drift.selection import default_test


@pytest.mark.parametrize(
    "kind, n, unique, expected",
    [
        ("numeric", 1000, 500, "ks"),
        ("numeric", 1001, 500, "wasserstein"),
        ("numeric", 50_000, 4, "jensen_shannon"),
        ("categorical", 10, None, "chi2"),
        ("categorical", 10_000, None, "jensen_shannon"),
        ("binary", 999, None, "z"),
        ("binary", 5000, None, "jensen_shannon"),
    ],
)
def test_default_test_mirrors_evidently(kind, n, unique, expected):
    assert default_test(kind, n, unique) == expected


def test_the_smaller_side_decides():
    assert default_test("numeric", 50_000, 500, n_current=114) == "ks"
    assert default_test("categorical", 114, None, n_current=50_000) == "chi2"
    assert default_test("numeric", 50_000, 500, n_current=5_000) == "wasserstein"
