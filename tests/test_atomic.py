"""Durable writes: a folder appears whole or not at all, a file is old or new, never torn."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from calmops.atomic import atomic_write_bytes, staged_folder


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*") if p.is_file()}


def test_a_staged_folder_appears_whole_and_leaves_nothing_else(tmp_path) -> None:
    target = tmp_path / "models" / "v1"
    with staged_folder(target) as staged:
        (staged.path / "card.json").write_text("{}")
        (staged.path / "sub").mkdir()
        (staged.path / "sub" / "model.bin").write_text("weights")
        assert not target.exists()  # nothing shows before the block ends
    assert _tree(target) == {"card.json": "{}", "sub/model.bin": "weights"}
    assert [p.name for p in target.parent.iterdir()] == ["v1"]


def test_an_existing_target_is_replaced_not_merged(tmp_path) -> None:
    target = tmp_path / "v1"
    target.mkdir()
    (target / "stale.txt").write_text("orphan of a crashed run")
    with staged_folder(target) as staged:
        (staged.path / "card.json").write_text("new")
    assert _tree(target) == {"card.json": "new"}


def test_an_error_while_staging_keeps_the_old_target_and_cleans_up(tmp_path) -> None:
    target = tmp_path / "v1"
    target.mkdir()
    (target / "card.json").write_text("old")
    with pytest.raises(RuntimeError, match="disk full"):
        with staged_folder(target) as staged:
            (staged.path / "card.json").write_text("half")
            raise RuntimeError("disk full")
    assert _tree(target) == {"card.json": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["v1"]


def test_without_replace_an_existing_target_is_an_error_and_stays(tmp_path) -> None:
    target = tmp_path / "demo"
    target.mkdir()
    (target / "pipeline.yaml").write_text("mine")
    with pytest.raises(FileExistsError):
        with staged_folder(target, replace=False) as staged:
            (staged.path / "pipeline.yaml").write_text("theirs")
    assert _tree(target) == {"pipeline.yaml": "mine"}
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_publish_inside_the_block_happens_once_at_that_moment(tmp_path) -> None:
    target = tmp_path / "demo"
    with staged_folder(target) as staged:
        (staged.path / "a").write_text("1")
        staged.publish()  # e.g. just before a store transaction commits
        assert _tree(target) == {"a": "1"}
    assert _tree(target) == {"a": "1"} and staged.published


def test_a_process_killed_mid_stage_leaves_no_partial_target(tmp_path) -> None:
    target = tmp_path / "v1"
    script = textwrap.dedent(
        f"""
        import os, signal
        from calmops.atomic import staged_folder
        with staged_folder({str(target)!r}) as staged:
            (staged.path / "model.bin").write_bytes(b"half a model")
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    process = subprocess.run([sys.executable, "-c", script], check=False)
    assert process.returncode == -9
    assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].startswith(".v1-")  # hidden, never read
    with staged_folder(target) as staged:  # the next attempt is unaffected
        (staged.path / "model.bin").write_bytes(b"a whole model")
    assert (target / "model.bin").read_bytes() == b"a whole model"


def test_atomic_write_bytes_replaces_or_keeps_the_old_file(tmp_path) -> None:
    path = tmp_path / "runs" / "r1.json"
    atomic_write_bytes(path, b"first")
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    with pytest.raises(TypeError):
        atomic_write_bytes(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["r1.json"]


def test_a_failed_write_names_the_target_and_keeps_the_old_file(tmp_path) -> None:
    from calmops.atomic import atomic_write_text

    blocker = tmp_path / "a-file"
    blocker.write_text("old")
    with pytest.raises(OSError) as raised:
        atomic_write_text(blocker / "inside.txt", "new")
    assert raised.value.filename == str(blocker / "inside.txt")
    assert blocker.read_text() == "old"
