"""The settler holds back a file until its size and mtime stop changing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from calmops.monitor.settle import Settler


def test_a_growing_file_is_held_until_it_is_stable(tmp_path: Path, wait_for) -> None:
    ready: list[Path] = []
    settler = Settler(1000, ready.append)  # far above a loaded sleep(0.1) overshoot
    settler.start()
    try:
        path = tmp_path / "growing.csv"
        with path.open("w") as handle:
            settler.add(path)
            for index in range(8):
                handle.write(f"{index}\n")
                handle.flush()
                time.sleep(0.1)
                assert ready == [], "handed over while still being written"
        wait_for(lambda: ready, what="the file to settle")
        assert ready == [path] and path.read_text().count("\n") == 8
    finally:
        settler.stop()


def test_renamed_files_are_complete_and_vanished_ones_dropped(tmp_path: Path) -> None:
    ready: list[Path] = []
    settler = Settler(60_000, ready.append)
    done = tmp_path / "done.csv"
    done.write_text("a\n")
    settler.add(done, complete=True)
    gone = tmp_path / "gone.csv"
    gone.write_text("a\n")
    settler.add(gone)
    gone.unlink()
    assert settler.check() is False
    assert ready == [done] and settler.waiting() == 0


def test_files_become_ready_oldest_first(tmp_path: Path) -> None:
    ready: list[Path] = []
    settler = Settler(10, ready.append)
    for index, name in enumerate(["c.csv", "a.csv", "b.csv"]):
        path = tmp_path / name
        path.write_text("x\n")
        os.utime(path, (1000 + index, 1000 + index))
        settler.add(path)
    settler.check()
    assert [p.name for p in ready] == ["c.csv", "a.csv", "b.csv"]
