"""Hooks, the circuit breaker, and every kind of bad input a pipeline meets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from calmops.errors import DataFileError, SpecError
from calmops.pipeline.hooks import load_hooks
from calmops.store import BreakerState, utcnow

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 6}}


# ---- hooks -----------------------------------------------------------------------------------


def test_preprocess_and_train_hooks_are_used(lab, sea, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "from sklearn.tree import DecisionTreeClassifier\n"
        "def preprocess(df):\n"
        "    return df.assign(total=df.x0 + df.x1)\n"
        "def train(X, y, context):\n"
        "    assert 'total' in X.columns and context.task == 'classification'\n"
        "    return DecisionTreeClassifier(max_depth=1, random_state=context.seed).fit(X, y)\n"
    )
    lab.create(hooks=str(hooks))
    lab.write(sea(1)[0])
    assert lab.run()[0].status == "succeeded"
    card = lab.ws.store.models.get("demo", 1).card
    assert [f["name"] for f in card["features"]] == ["x0", "x1", "x2", "total"]
    from calmops.models.registry import ModelRegistry

    registry = ModelRegistry(lab.ws.store, "demo", lab.ws.paths("demo").models)
    model = registry.load(registry.get(1))
    assert model.get_depth() == 1, "the train hook's model was not the one registered"


def test_a_preprocess_hook_that_drops_rows_fails_the_run(lab, sea, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text("def preprocess(df):\n    return df.head(3)\n")
    lab.create(hooks=str(hooks))
    lab.write(sea(1)[0])
    result = lab.run()[0]
    assert result.status == "failed" and "preprocess must keep every row" in result.reason


def test_bad_hook_files(tmp_path) -> None:
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    with pytest.raises(SpecError, match="defines none of preprocess, train, retrain"):
        load_hooks(empty)
    broken = tmp_path / "broken.py"
    broken.write_text("def preprocess(df)\n")
    with pytest.raises(SpecError, match="importing broken.py failed"):
        load_hooks(broken)
    with pytest.raises(SpecError, match="no such file"):
        load_hooks(tmp_path / "missing.py")


# ---- circuit breaker -------------------------------------------------------------------------


def test_rejected_challengers_never_pause_the_pipeline(lab, sea, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "from sklearn.dummy import DummyClassifier\n"
        "def retrain(champion, X, y, context):\n"
        "    return DummyClassifier(strategy='constant', constant=0).fit(X, y)\n"
    )
    lab.create(
        model=TREE,
        hooks=str(hooks),
        decision={"retrain_on": ["data"]},
        breaker={"max_failures": 2, "backoff_minutes": 60, "count_rejections": True},
    )
    batches = sea(6)
    lab.write(batches[0])
    for frame in batches[1:]:
        lab.write(frame.assign(x0=frame.x0 + 4))
    results = lab.run()
    assert [r.decision for r in results] == ["train"] + ["retrain"] * 5
    for result in results[1:]:
        report = lab.ws.store.runs.get("demo", result.run_id).report
        assert all(not c["promoted"] for c in report["challengers"])
        assert report["metrics"]["champion_on_batch"]["accuracy"] > 0.5  # scoring goes on
    assert lab.ws.store.state.breaker("demo") == BreakerState()  # rejections never count
    from calmops.monitor.status import live_state

    assert live_state(lab.ws, "demo") != "paused"


def test_after_the_backoff_a_trial_success_closes_the_breaker(lab, sea) -> None:
    lab.create(model=TREE, retrain={"strategy": "window", "window_batches": 1})
    batches = sea(3, drift_at=2)
    lab.write(batches[0])
    lab.write(batches[1])
    lab.run()
    past = utcnow() - timedelta(minutes=1)
    lab.ws.store.state.set_breaker("demo", BreakerState("open", 3, past, past))
    lab.write(batches[2])
    result = lab.run()[0]
    assert result.decision == "retrain", result.reason
    assert lab.ws.store.state.breaker("demo") == BreakerState()


def test_errors_of_the_loop_count_toward_the_breaker(lab, sea, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "def preprocess(df):\n"
        "    if 'boom' in df.columns:\n"
        "        raise RuntimeError('the feature store is down')\n"
        "    return df\n"
    )
    lab.create(model=TREE, breaker={"max_failures": 2}, hooks=str(hooks))
    lab.write(sea(1)[0])
    lab.run()
    for i in range(2):
        lab.write(sea(1)[0].assign(boom=1).iloc[i:])
    results = lab.run()
    assert [r.status for r in results] == ["failed", "failed"]
    assert "the feature store is down" in results[0].reason
    assert lab.ws.store.state.breaker("demo").state == "open"


def test_bad_input_never_opens_the_breaker(lab, sea) -> None:
    """Two unusable files, then a drifted batch: it retrains, it is not paused."""
    lab.create(model=TREE, breaker={"max_failures": 2})
    batches = sea(3, drift_at=2)
    lab.write(batches[0])
    lab.write(batches[1])
    lab.run()
    lab.write_bytes(b"", "empty.csv")
    lab.write(batches[1].drop(columns=["x1"]), "no_x1.csv")
    assert [r.status for r in lab.run()] == ["failed", "failed"]
    assert lab.ws.store.state.breaker("demo") == BreakerState()
    lab.write(batches[2])
    result = lab.run()[0]
    assert result.decision == "retrain", result.reason


def test_a_broken_hooks_file_fails_the_run_it_does_not_leave_it_running(lab, sea, tmp_path):
    hooks = tmp_path / "hooks.py"
    hooks.write_text("def preprocess(df):\n    return df\n")
    lab.create(model=TREE, hooks=str(hooks))
    lab.write(sea(1)[0])
    lab.run()
    hooks.write_text("def preprocess(df) oops\n")
    lab.write(sea(2)[1])
    result = lab.run()[0]
    assert result.status == "failed" and "hooks" in result.reason
    (run,) = [r for r in lab.ws.store.runs.list("demo") if r.id == result.run_id]
    assert run.status == "failed"
    logged = (lab.ws.paths("demo").logs / "pipeline.log").read_text()
    assert f"run {result.run_id}" in logged and "failed" in logged


# ---- bad input -------------------------------------------------------------------------------


def _first_then(lab, sea, write_bad):
    lab.create(model=TREE)
    good = sea(2)
    lab.write(good[0])
    write_bad(good[0])
    lab.write(good[1])
    return lab.run()


def test_missing_feature_columns_fail_the_run_naming_them(lab, sea) -> None:
    results = _first_then(lab, sea, lambda f: lab.write(f.drop(columns=["x1", "x2"])))
    assert [r.status for r in results] == ["succeeded", "failed", "succeeded"]
    assert "lacks feature columns the champion v1 needs: x1, x2" in results[1].reason
    failed = [e for e in lab.ws.store.runs.ledger("demo") if e.status == "failed"]
    assert len(failed) == 1 and "x1, x2" in failed[0].error


def test_a_word_in_a_numeric_feature_names_the_column_and_row(lab, sea) -> None:
    def with_a_word(frame):
        frame = frame.astype({"x0": object})
        frame.loc[16, "x0"] = "abc"
        lab.write(frame)

    results = _first_then(lab, sea, with_a_word)
    assert [r.status for r in results] == ["succeeded", "failed", "succeeded"]
    assert "feature 'x0' must be a number (row 17: 'abc'); 1 value(s) are not" in results[1].reason


@pytest.mark.parametrize("mapping", [{0: "no", 1: "yes"}, {0: "class 0", 1: "class 1"}])
def test_labels_of_another_type_than_the_champion_say_which_clash(lab, sea, mapping) -> None:
    results = _first_then(lab, sea, lambda f: lab.write(f.assign(target=f.target.map(mapping))))
    assert [r.status for r in results] == ["succeeded", "failed", "succeeded"]
    reason = results[1].reason
    assert "the labels in 'target' are text" in reason and "trained on numbers (0, 1)" in reason
    assert repr(mapping[1]) in reason and "TypeError" not in reason


def test_extra_columns_are_ignored_with_a_note(lab, sea) -> None:
    results = _first_then(lab, sea, lambda f: lab.write(f.assign(note="hello", rank=1)))
    assert [r.status for r in results] == ["succeeded"] * 3
    report = lab.ws.store.runs.get("demo", results[1].run_id).report
    assert "columns the champion does not use were ignored: note, rank" in report["notes"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01garbage\xff" * 100, "binary data"),
        (b"x0,x1,x2,target\n", "column names but no rows"),
    ],
)
def test_unreadable_files_fail_clearly_and_the_next_file_runs(lab, sea, content, expected) -> None:
    def write_bad(_):
        lab.write_bytes(content, "broken.csv")

    results = _first_then(lab, sea, write_bad)
    assert [r.status for r in results] == ["succeeded", "failed", "succeeded"]
    assert expected in results[1].reason


def test_a_failed_file_is_not_retried_until_asked(lab, sea) -> None:
    results = _first_then(lab, sea, lambda f: lab.write(f.drop(columns=["x1"])))
    assert results[1].status == "failed"
    assert lab.run() == []  # not retried in a loop
    forgotten = lab.ws.store.runs.forget("demo")
    assert len(forgotten) == 1
    again = lab.run()
    assert [r.status for r in again] == ["failed"]


def test_a_target_with_one_class(lab, sea) -> None:
    lab.create(model=TREE)
    lab.write(sea(1)[0].assign(target=1))
    result = lab.run()[0]
    assert result.status == "failed"
    assert "the target 'target' has a single class (1)" in result.reason


def test_all_nan_features_at_first_training(lab, sea) -> None:
    lab.create(model=TREE)
    lab.write(sea(1)[0].assign(x1=np.nan))
    result = lab.run()[0]
    assert (
        result.status == "failed" and "feature columns with no values at all: x1" in result.reason
    )


def test_all_nan_features_when_scoring_are_imputed_with_a_note(lab, sea) -> None:
    results = _first_then(lab, sea, lambda f: lab.write(f.assign(x1=np.nan)))
    assert results[1].status == "succeeded"
    report = lab.ws.store.runs.get("demo", results[1].run_id).report
    assert "features with no values in this batch (imputed): x1" in report["notes"]


def test_too_few_labelled_rows(lab, sea) -> None:
    lab.create(model=TREE)
    lab.write(sea(1)[0].head(5))
    result = lab.run()[0]
    assert result.status == "failed" and "only 5 labelled rows" in result.reason


def test_an_unreadable_file_is_skipped_and_the_others_run(lab, sea, monkeypatch) -> None:
    from calmops.pipeline import runner as runner_module

    lab.create(model=TREE)
    first, second = sea(2)
    locked = lab.write(first, "locked.csv")
    lab.write(second, "fine.csv")
    real_key = runner_module.file_key

    def unreadable(path):  # as root chmod cannot deny a read, so the read itself fails
        if path.name == "locked.csv":
            raise PermissionError(13, "Permission denied")
        return real_key(path)

    monkeypatch.setattr(runner_module, "file_key", unreadable)
    with runner_module.Runner(lab.ws, "demo") as runner:
        results = runner.run_pending()
        assert runner.unreadable == [locked]
        with pytest.raises(DataFileError, match="locked.csv: cannot be read .Permission denied"):
            runner.run_file(locked)
    assert [Path(r.source).name for r in results] == ["fine.csv"]


def test_library_warnings_become_notes_of_the_run(lab, sea, capsys) -> None:
    lab.create(
        model={
            "class": "sklearn.linear_model.LogisticRegression",
            "params": {"max_iter": 1, "solver": "lbfgs"},
        }
    )
    lab.write(sea(1)[0])
    result = lab.run()[0]
    assert result.status == "succeeded"
    notes = lab.ws.store.runs.get("demo", result.run_id).report["notes"]
    assert any(n.startswith("warning while learn: ConvergenceWarning: lbfgs failed") for n in notes)
    assert any("model.params.max_iter" in n for n in notes)
    assert "ConvergenceWarning" not in capsys.readouterr().err
