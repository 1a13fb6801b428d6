"""PostgreSQL going away in the middle of a run: nothing is committed, the run is done again.

The database of the test is cut off (every connection terminated, new ones refused) while the
run that retrains on a drifted batch is learning. The run must raise StoreUnavailableError
and commit nothing (no version, no alias move, the file still claimed); once the store is
back the next pass takes the file over and the pipeline ends exactly where an uninterrupted
run ends. The breaker never counts the outage.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from tests.harness import Lab, sea_batches
from tests.pg import database_of, fresh_database, outage

from calmops.errors import StoreUnavailableError
from calmops.models.registry import ModelRegistry
from calmops.pipeline.runner import Runner

pytestmark = pytest.mark.slow  # a PostgreSQL database per test, a few trainings

SPEC = {
    "model": {
        "class": "sklearn.tree.DecisionTreeClassifier",
        "params": {"max_depth": 5, "random_state": 0},
    },
    "retrain": {"strategy": "window", "window_batches": 2},
}
BATCHES, DRIFT_AT = 4, 2


def _feed(lab: Lab) -> list[Path]:
    lab.create(**SPEC)
    return [
        lab.write(frame, name=f"batch_{i}.csv")
        for i, frame in enumerate(sea_batches(BATCHES, size=800, drift_at=DRIFT_AT))
    ]


def _decisions(lab: Lab) -> dict[str, str]:
    return {Path(r.source).name: r.decision for r in lab.runs() if r.status == "succeeded"}


def test_a_run_cut_off_from_the_store_commits_nothing_and_runs_again(tmp_path) -> None:
    with fresh_database() as (url, admin):
        lab = Lab(tmp_path / "pg", db_url=url)
        files = _feed(lab)
        for path in files[:DRIFT_AT]:
            assert lab.run_file(path).status == "succeeded"
        store = lab.ws.store
        aliases_before = store.models.aliases("demo")
        versions_before = [v.version for v in store.models.versions("demo")]

        def cut_off_while_learning(step: str, _rows) -> None:
            if step == "learn":
                outage_block.__enter__()

        outage_block = outage(admin, database_of(url))
        try:
            with pytest.raises(StoreUnavailableError):
                with Runner(lab.ws, "demo") as runner:
                    runner.run_file(files[DRIFT_AT], on_step=cut_off_while_learning)
        finally:
            outage_block.__exit__(None, None, None)

        # nothing of the cut-off run was committed: no version, no alias move, file claimed
        assert store.models.aliases("demo") == aliases_before
        assert [v.version for v in store.models.versions("demo")] == versions_before
        ledger = {Path(e.file.path).name: e.status for e in store.runs.ledger("demo")}
        assert ledger[files[DRIFT_AT].name] == "processing"
        assert [r.status for r in store.runs.list("demo", limit=10)][0] == "running"
        log = (lab.ws.paths("demo").logs / "events.jsonl").read_text()
        assert "store_unavailable" in log

        # the next pass takes it over and finishes the stream
        assert [r.status for r in lab.run()] == ["succeeded", "succeeded"]
        runs = store.runs.list("demo", limit=100)
        successes = Counter(Path(r.source).name for r in runs if r.status == "succeeded")
        assert successes == Counter(p.name for p in files)
        [interrupted] = [r for r in runs if r.status == "failed"]
        assert "interrupted" in interrupted.error
        assert {e.status for e in store.runs.ledger("demo")} == {"done"}
        assert store.state.breaker("demo").failures == 0
        registry = ModelRegistry(store, "demo", lab.ws.paths("demo").models)
        for version in store.models.versions("demo"):
            registry.load(version)

        clean = Lab(tmp_path / "clean")
        _feed(clean)
        clean.run()
        assert _decisions(lab) == _decisions(clean)
        assert store.models.aliases("demo") == clean.ws.store.models.aliases("demo")
        store.close()
