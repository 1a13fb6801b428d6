"""Fixtures shared by every test: a temporary workspace and a CLI runner bound to it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

# one OpenMP thread per test process (subprocesses included): pytest-xdist already runs one
# worker per core, and gradient boosting's threads on an oversubscribed machine are 10-20x
# slower than one thread on tiny data
os.environ.setdefault("OMP_NUM_THREADS", "1")

pytest_plugins = ("tests.s3",)  # s3_server, s3_env, s3_url: an S3 server on loopback


@pytest.fixture(autouse=True, scope="session")
def _one_openmp_thread() -> Iterator[None]:
    """The same limit for libraries this process loaded before the variable was set."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own workspace, store or API key."""
    for name in ("CALMOPS_HOME", "CALMOPS_DB_URL", "CALMOPS_API_KEY", "CALMOPS_ARTIFACTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _cheap_default_model(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``model.class: auto`` is a linear model in tests (the suite fits thousands of models;
    gradient boosting costs ~60 ms a fit on tiny data); tests of the real default are marked
    ``@pytest.mark.default_model``. Specs that name a class are untouched."""
    if request.node.get_closest_marker("default_model"):
        return
    from calmops.models import factory

    cheap = {
        "classification": "sklearn.linear_model.LogisticRegression",
        "regression": "sklearn.linear_model.LinearRegression",
    }
    for task, dotted in cheap.items():
        monkeypatch.setitem(factory.DEFAULT_CLASSES, task, dotted)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty workspace folder."""
    return tmp_path / "home"


@pytest.fixture
def cli(home: Path):
    """Run ``calmops --home <home> ARGS...`` in-process; returns the click Result."""
    from calmops.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, ["--home", str(home), *args], input=input)

    return invoke


MINIMAL_SPEC = """\
name: demo
kind: stream              # stream | block | ipip
data:
  dir: ./incoming
  target: label
trigger:
  type: manual            # manual | watch | schedule
model:
  class: sklearn.linear_model.LogisticRegression
  params: {max_iter: 500}
retrain:
  strategy: full
"""


@pytest.fixture
def minimal_spec() -> str:
    """The minimal spec of issue 2, which must be accepted as is (data.dir is ./incoming)."""
    return MINIMAL_SPEC
