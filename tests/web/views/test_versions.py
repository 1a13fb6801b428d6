"""The versions table compares each challenger with its champion on the same rows (issue 18,
item 3)."""

from __future__ import annotations

import pytest

from calmops.web.sections import find
from calmops.web.views.models import build_models
from calmops.web.views.versions import measured_on


def test_each_version_sits_beside_the_champion_it_beat_on_the_same_rows(reader) -> None:
    table = find(build_models(reader, "sea"), "models-versions")
    columns = table["columns"]
    assert columns[2:6] == ["balanced accuracy (this version)", "champion then, same rows",
                            "difference [99% interval]", "measured on"]  # fmt: skip
    rows = {row[0]: row for row in table["rows"]}
    newest = table["rows"][0]
    mine, theirs = float(newest[2]), float(newest[3].split(" ")[0])
    difference, interval = newest[4].split(" ", 1)
    assert float(difference) == pytest.approx(mine - theirs, abs=2e-3)
    low, high = (float(v) for v in interval.strip("[]").split(", "))
    assert low <= float(difference) <= high
    assert "both on the same" in newest[5] and "held-out rows" in newest[5]
    assert newest[-2] == {"badge": "promoted", "tone": "ok"}
    assert rows["v1"][3] == "—" and rows["v1"][4] == "—"  # the first model had no champion


def test_an_ipip_version_says_its_numbers_are_prequential(reader) -> None:
    table = find(build_models(reader, "ipipmonths"), "models-versions")
    assert all("prequential" in row[5] for row in table["rows"])


def test_measured_on_names_the_rows() -> None:
    assert measured_on(None, 1234, "b.csv") == "1,234 held-out rows of b.csv"
