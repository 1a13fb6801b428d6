"""The watch trigger reports data files (not temporary names), knows renames are complete,
and reports a folder that goes away and comes back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calmops.monitor.triggers import WatchTrigger
from calmops.spec import PipelineSpec


def _trigger(folder: Path, **options) -> WatchTrigger:
    data = {"dir": str(folder), "patterns": ["*.csv"], "recursive": options.pop("recursive", False)}
    trigger = {"type": "watch", "poll_seconds": 0.1} | options
    return WatchTrigger(PipelineSpec.from_dict({"name": "demo", "data": data, "trigger": trigger}))


@pytest.mark.parametrize("polling", [False, True])
def test_data_files_are_reported_and_temporary_names_are_not(
    tmp_path: Path, recorder, wait_for, polling: bool
) -> None:
    trigger = _trigger(tmp_path, polling=polling)
    trigger.start(recorder)
    try:
        assert recorder.of("scan") == [(True,)]  # existing files first
        (tmp_path / "written.csv").write_text("a\n1\n")
        (tmp_path / ".hidden.csv").write_text("a\n1\n")
        (tmp_path / "notes.md").write_text("x")
        (tmp_path / "out.csv.part").write_text("a\n1\n")
        os.replace(tmp_path / "out.csv.part", tmp_path / "renamed.csv")
        names = lambda: {name for name, _ in recorder.of("file")}  # noqa: E731
        wait_for(lambda: names() >= {"written.csv", "renamed.csv"}, what="both files")
    finally:
        trigger.stop()
    assert names() == {"written.csv", "renamed.csv"}
    if not polling:  # a poll that never saw the temporary name sees a new file, not a rename
        assert ("renamed.csv", True) in recorder.of("file")
        assert ("written.csv", False) in recorder.of("file")


def test_sub_folders_only_when_recursive(tmp_path: Path, recorder, wait_for) -> None:
    (tmp_path / "sub").mkdir()
    flat = _trigger(tmp_path)
    flat.start(recorder)
    try:
        (tmp_path / "sub" / "deep.csv").write_text("a\n")
        (tmp_path / "top.csv").write_text("a\n")
        wait_for(lambda: recorder.of("file"), what="an event")
    finally:
        flat.stop()
    assert {name for name, _ in recorder.of("file")} == {"top.csv"}


def test_a_folder_that_goes_away_and_comes_back(tmp_path: Path, recorder, wait_for) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    trigger = _trigger(folder)
    trigger.start(recorder)
    try:
        folder.rename(tmp_path / "away")
        wait_for(lambda: recorder.of("problem"), what="the problem")
        assert "does not exist" in recorder.of("problem")[0][0]
        (tmp_path / "away").rename(folder)
        wait_for(lambda: (None,) in recorder.of("problem"), what="the recovery")
        assert recorder.of("scan")[-1] == (True,)  # what arrived meanwhile is looked for
        (folder / "again.csv").write_text("a\n")
        wait_for(lambda: ("again.csv", False) in recorder.of("file"), what="events again")
    finally:
        trigger.stop()


def test_a_missing_folder_at_start(tmp_path: Path, recorder, wait_for) -> None:
    folder = tmp_path / "later"
    trigger = _trigger(folder)
    trigger.start(recorder)
    try:
        assert "does not exist" in recorder.of("problem")[0][0]
        folder.mkdir()
        wait_for(lambda: (None,) in recorder.of("problem"), what="the folder")
        (folder / "x.csv").write_text("a\n")
        wait_for(lambda: recorder.of("file"), what="an event")
    finally:
        trigger.stop()
