"""A new champion is served within about a second, with no failed request during the swap;
a version that cannot be loaded leaves the old one serving."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from .conftest import add_version, constant_model, make_client, wait_for

ROW = {"x0": 1.0, "x1": 2.0, "x2": 3.0}


class Load:
    """Clients posting predictions in a loop, recording (sent, received, version, status)."""

    def __init__(self, url: str, clients: int = 8) -> None:
        self.url = url
        self.records: list[tuple[float, float, int | None, int]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work) for _ in range(clients)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _work(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                sent = time.monotonic()
                try:
                    response = client.post(self.url, json=ROW)
                except httpx.HTTPError as error:
                    self.failures.append(repr(error))
                    continue
                version = None
                if response.status_code == 200:
                    body = response.json()
                    version = body["model_version"]
                    if version == 2 and body["predictions"] != [1]:
                        self.failures.append(f"v2 answered {body['predictions']}")
                else:
                    self.failures.append(f"{response.status_code}: {response.text}")
                self.records.append((sent, time.monotonic(), version, response.status_code))

    def versions(self) -> set:
        return {r[2] for r in self.records}


@pytest.mark.slow
def test_hot_swap_under_concurrent_load(serve, fresh_workspace) -> None:
    ws = fresh_workspace
    v2 = add_version(ws, "sea", constant_model(ws, "sea", 1))
    live = serve(ws)
    with Load(f"{live.url}/predict/sea") as load:
        wait_for(lambda: len(load.records) >= 50, what="traffic")
        ws.store.models.set_aliases("sea", {"champion": v2, "previous": 1}, reason="test swap")
        wait_for(lambda: 2 in load.versions(), what="v2 to be served")
        first_v2 = min(r[1] for r in load.records if r[2] == 2)
        wait_for(lambda: sum(r[0] > first_v2 for r in load.records) >= 100)
    assert load.failures == []
    assert all(status == 200 for *_, status in load.records)
    # every request sent after a v2 answer was answered by v2: the swap is atomic
    assert {r[2] for r in load.records if r[0] > first_v2} == {2}
    assert load.versions() == {1, 2}


def test_a_version_that_cannot_be_loaded_leaves_the_old_one_serving(fresh_workspace) -> None:
    ws = fresh_workspace
    v2 = add_version(ws, "sea", constant_model(ws, "sea", 1))
    model_file = ws.paths("sea").root / ws.store.models.get("sea", v2).path
    model_file.write_bytes(b"corrupted")
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        ws.store.models.set_aliases("sea", {"champion": v2}, reason="bad version")

        def summary() -> dict:
            return {p["name"]: p for p in client.get("/pipelines").json()}["sea"]

        wait_for(lambda: summary()["error"] is not None)
        assert summary()["champion_version"] == 1 and summary()["ready"]
        assert summary()["error"] == "the champion v2 could not be loaded (see the server log)"
        response = client.post("/predict/sea", json=ROW)
        assert response.status_code == 200 and response.json()["model_version"] == 1


def test_rollback_is_picked_up_too(fresh_workspace) -> None:
    ws = fresh_workspace
    v2 = add_version(ws, "sea", constant_model(ws, "sea", 1))
    ws.store.models.set_aliases("sea", {"champion": v2, "previous": 1}, reason="promote")
    with make_client(ws) as client:
        wait_for(lambda: client.get("/ready").status_code == 200)
        assert client.post("/predict/sea", json=ROW).json()["model_version"] == 2
        ws.store.models.set_aliases("sea", {"champion": 1, "previous": v2}, reason="rollback")
        wait_for(lambda: client.post("/predict/sea", json=ROW).json()["model_version"] == 1)
