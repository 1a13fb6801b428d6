"""A workspace with real trained pipelines, and servers over it: in-process or on loopback.

The workspace is built once per session (training takes seconds) and treated as read-only;
tests that move aliases build their own (``fresh_workspace``).

==========  ====================================================================
``sea``     LogisticRegression on SEA (x0, x1, x2 numeric), champion v1
``mixed``   a numeric, a text column and a preprocess hook adding ``ratio``
``empty``   created, never run: no champion
==========  ====================================================================
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.harness import Lab, sea_rows, wait_for

from calmops.server import ServerConfig, create_app
from calmops.workspace import Workspace

HOOK = "def preprocess(df):\n    return df.assign(ratio=df['a'] / (df['b'].abs() + 1.0))\n"
LOGISTIC = {"class": "sklearn.linear_model.LogisticRegression", "params": {"max_iter": 500}}


def build_workspace(root: Path) -> Workspace:
    """Create and train the pipelines described in this module's docstring."""
    lab = Lab(root, folder_per_pipeline=True)
    hook = root / "hooks.py"
    hook.write_text(HOOK)
    lab.create("sea", model=LOGISTIC)
    lab.write(sea_rows(600, seed=1), "b0.csv", pipeline="sea")
    lab.create("mixed", model=LOGISTIC, hooks=str(hook))
    lab.write(mixed_frame(), "b0.csv", pipeline="mixed")
    lab.create("empty", model=LOGISTIC)
    for name in ("sea", "mixed"):
        results = lab.run(name)
        assert [r.status for r in results] == ["succeeded"], results
    return lab.ws


def mixed_frame(rows: int = 400, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=rows), rng.normal(size=rows)
    color = rng.choice(["red", "green", "blue"], size=rows)
    target = ((a > 0) ^ (color == "red")).astype(int)
    return pd.DataFrame({"a": a, "b": b, "color": color, "target": target})


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The shared, read-only workspace."""
    return build_workspace(tmp_path_factory.mktemp("served"))


@pytest.fixture
def fresh_workspace(tmp_path: Path) -> Workspace:
    """A workspace of this test's own, to change aliases in."""
    return build_workspace(tmp_path)


def add_version(ws: Workspace, name: str, model) -> int:
    """Register ``model`` as a new version of ``name`` (same card as the champion)."""
    from calmops.models.card import ModelCard
    from calmops.models.registry import Holdout, ModelRegistry

    registry = ModelRegistry(ws.store, name, ws.paths(name).models)
    base = registry.alias("champion")
    number = registry.next_version()
    card = ModelCard(**{**base.card, "version": number})
    written = registry.write(model, card, Holdout(np.array([0, 1]), np.array([0, 1])))
    ws.store.models.add(written)
    return number


def constant_model(ws: Workspace, name: str, value: int):
    """A fitted model with the champion's features that always predicts ``value``."""
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline

    card = ws.store.models.get(name, ws.store.models.aliases(name)["champion"]).card
    columns = [f["name"] for f in card["features"]]
    frame = pd.DataFrame(np.zeros((2, len(columns))), columns=columns)
    dummy = DummyClassifier(strategy="constant", constant=value)
    return Pipeline([("model", dummy)]).fit(frame, [value, 1 - value])


# ---- servers ----------------------------------------------------------------------------


def make_client(ws: Workspace, **config):
    """A TestClient over the workspace (enter it with ``with``)."""
    from fastapi.testclient import TestClient

    app = create_app(ws.settings, config=ServerConfig(**config))
    return TestClient(app)


@pytest.fixture
def client(workspace: Workspace) -> Iterator:
    with make_client(workspace) as test_client:
        wait_for(lambda: test_client.get("/ready").status_code == 200)
        yield test_client


@dataclass
class LiveServer:
    """A uvicorn server on loopback, in a thread of this process."""

    url: str
    port: int
    app: object


def start_server(ws: Workspace, **config) -> tuple[LiveServer, Callable[[], None]]:
    """Start a real uvicorn server over ``ws`` in a thread; returns it and its stop function."""
    import uvicorn

    app = create_app(ws.settings, config=ServerConfig(**config))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=60)
        sock.close()

    try:
        wait_for(lambda: server.started, what="the server to start")
        live = LiveServer(f"http://127.0.0.1:{port}", port, app)
        wait_for(lambda: _get(live.url + "/ready") == 200, what="the server to be ready")
    except BaseException:
        stop()
        raise
    return live, stop


@pytest.fixture
def serve() -> Iterator[Callable[..., LiveServer]]:
    """Start real uvicorn servers over workspaces; all stopped when the test ends."""
    stops: list[Callable[[], None]] = []

    def start(ws: Workspace, **config) -> LiveServer:
        live, stop = start_server(ws, **config)
        stops.append(stop)
        return live

    yield start
    for stop in stops:
        stop()


def _get(url: str) -> int:
    import httpx

    try:
        return httpx.get(url, timeout=10).status_code
    except httpx.HTTPError:
        return 0


def parquet_rows(folder: Path) -> pd.DataFrame:
    """Every row of the Parquet files directly in ``folder``."""
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


def linear_regression_pipeline(ws: Workspace) -> None:
    """Pipeline ``reg``: linear regression of y = 3 x1 - 2 x2 (a file waiting to run)."""
    lab = Lab(ws.home.parent, folder_per_pipeline=True)
    lab.create("reg", model={"class": "sklearn.linear_model.LinearRegression"})
    rng = np.random.default_rng(3)
    x1, x2 = rng.normal(size=300), rng.normal(size=300)
    lab.write(pd.DataFrame({"x1": x1, "x2": x2, "target": 3 * x1 - 2 * x2}), pipeline="reg")
