"""The runner takes paths as ``str`` or ``Path`` (``Runner.run_file("x.csv")`` crashed)."""

from __future__ import annotations

from calmops.pipeline.files import data_files, file_key
from calmops.pipeline.runner import Runner


def test_run_file_and_run_files_take_a_str(lab, sea) -> None:
    lab.create()
    first, second, third = sea(3, size=300)
    path = lab.write(first, "a.csv")
    with Runner(lab.ws, "demo") as runner:
        result = runner.run_file(str(path))
        assert (result.status, result.source) == ("succeeded", str(path))
        assert runner.run_file(str(path)).status == "skipped"  # the ledger knows it by str too
        more = [str(lab.write(second, "b.csv")), lab.write(third, "c.csv")]
        assert [r.status for r in runner.run_files(more)] == ["succeeded", "succeeded"]


def test_file_key_and_data_files_take_a_str(tmp_path) -> None:
    (tmp_path / "x.csv").write_text("a\n1\n")
    assert file_key(str(tmp_path / "x.csv")) == file_key(tmp_path / "x.csv")
    assert data_files(str(tmp_path), ["*.csv"]) == [tmp_path / "x.csv"]
