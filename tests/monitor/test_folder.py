"""Which folders can be watched and which names are data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calmops.monitor.folder import folder_problem, is_data_name


def test_problems_name_the_folder(tmp_path: Path) -> None:
    assert folder_problem(tmp_path) is None
    assert folder_problem(tmp_path / "no") == f"data folder {tmp_path / 'no'} does not exist"
    (tmp_path / "file").write_text("x")
    assert "is not a folder" in folder_problem(tmp_path / "file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0)
    try:
        assert "not readable" in folder_problem(locked)
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("batch.csv", True),
        ("BATCH.CSV", True),
        ("batch.parquet", True),
        ("batch.csv.part", False),
        ("batch.tmp", False),
        ("~batch.csv", False),
        (".batch.csv", False),
        ("notes.md", False),
    ],
)
def test_data_names(name: str, expected: bool) -> None:
    assert is_data_name(name, ["*.csv", "*.parquet"]) is expected
