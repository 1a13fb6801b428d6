"""A data file rewritten or deleted while a run reads it: never one content recorded under
another's key, a clear reason, and the new content runs as its own batch."""

from __future__ import annotations

import importlib
import os

import pytest

from calmops.io import read_table as real_read_table

load_step = importlib.import_module("calmops.pipeline.steps.load")  # the module, not the step
TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 4}}


def test_a_file_rewritten_while_read_is_refused_then_runs_as_new(lab, sea, monkeypatch) -> None:
    lab.create(model=TREE)
    first, second = sea(2)
    path = lab.write(first)

    def read_then_rewritten(source):
        frame = real_read_table(source)
        second.to_csv(path, index=False)  # the writer was not done
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        return frame

    monkeypatch.setattr(load_step, "read_table", read_then_rewritten)
    (refused,) = lab.run()
    assert refused.status == "failed"
    assert "changed while it was being read" in refused.reason
    monkeypatch.setattr(load_step, "read_table", real_read_table)
    (again,) = lab.run()  # the new content is a new batch
    assert again.status == "succeeded" and again.rows == len(second)
    ledger = lab.ws.store.runs.ledger("demo")
    assert sorted(e.status for e in ledger) == ["done", "failed"]
    assert len({e.file.sha256 for e in ledger}) == 2


def test_a_file_deleted_after_it_was_read_keeps_its_run(lab, sea, monkeypatch) -> None:
    lab.create(model=TREE)
    path = lab.write(sea(1)[0])

    def read_then_deleted(source):
        frame = real_read_table(source)
        path.unlink()
        return frame

    monkeypatch.setattr(load_step, "read_table", read_then_deleted)
    (result,) = lab.run()
    assert result.status == "succeeded"


def test_a_file_deleted_before_it_was_read_fails_once(lab, sea, monkeypatch) -> None:
    lab.create(model=TREE)
    path = lab.write(sea(1)[0])

    def deleted_first(source):
        path.unlink()
        return real_read_table(source)

    monkeypatch.setattr(load_step, "read_table", deleted_first)
    (result,) = lab.run()
    assert result.status == "failed" and "no such file" in result.reason
    assert lab.run() == []  # gone: nothing pending, no loop


@pytest.mark.parametrize("name", ["load"])
def test_the_step_is_the_one_the_runner_uses(name) -> None:
    from calmops.pipeline.steps import STEPS

    assert dict(STEPS)[name] is load_step.load
