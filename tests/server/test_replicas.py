"""Replicas: two real ``calmops serve`` processes on one shared PostgreSQL store both swap to
a new champion after a promotion, while a client keeps sending requests to both, without a
failed request; once a replica has answered with the new champion it never answers with the
old one again. (Each replica polls the store's aliases; see ``server/cache.py``.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.harness import Lab, sea_rows
from tests.pg import fresh_database

from .conftest import LOGISTIC, _get, add_version, constant_model, wait_for

ROW = {"x0": 1.0, "x1": 2.0, "x2": 3.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Lab]:
    """A trained pipeline ``sea`` (champion v1) whose store is a fresh PostgreSQL database."""
    with fresh_database() as (url, _admin):
        lab = Lab(tmp_path, folder_per_pipeline=True, db_url=url)
        lab.create("sea", model=LOGISTIC)
        lab.write(sea_rows(600, seed=1), "b0.csv", pipeline="sea")
        assert [r.status for r in lab.run("sea")] == ["succeeded"]
        yield lab


def _replica(lab: Lab, port: int) -> subprocess.Popen:
    env = os.environ | {"CALMOPS_DB_URL": lab.db_url}
    command = [sys.executable, "-m", "calmops", "--home", str(lab.home), "serve"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class Traffic:
    """One client thread per replica posting in a loop: (replica, sent, version, status)."""

    def __init__(self, urls: list[str]) -> None:
        self.records: list[tuple[int, float, int | None, int]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, args=(index, url)) for index, url in enumerate(urls)
        ]

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    def _work(self, replica: int, url: str) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                sent = time.monotonic()
                try:
                    response = client.post(url, json=ROW)
                except httpx.HTTPError as error:
                    self.failures.append(f"replica {replica}: {error!r}")
                    continue
                version = response.json().get("model_version") if response.is_success else None
                if not response.is_success:
                    self.failures.append(f"replica {replica}: {response.status_code}")
                self.records.append((replica, sent, version, response.status_code))

    def serving(self, replica: int, version: int) -> bool:
        return any(r[0] == replica and r[2] == version for r in self.records)


@pytest.mark.slow
def test_two_replicas_swap_to_a_promoted_champion_without_a_failed_request(shared) -> None:
    lab = shared
    ports = [_free_port(), _free_port()]
    replicas = [_replica(lab, port) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_for(lambda url=url: _get(url + "/ready") == 200, what=f"{url} to be ready")
        v2 = add_version(lab.ws, "sea", constant_model(lab.ws, "sea", 1))
        with Traffic([url + "/predict/sea" for url in urls]) as traffic:
            wait_for(lambda: all(traffic.serving(i, 1) for i in (0, 1)), what="v1 traffic")
            promoted = time.monotonic()
            lab.ws.store.models.set_aliases("sea", {"champion": v2, "previous": 1}, reason="test")
            wait_for(lambda: all(traffic.serving(i, v2) for i in (0, 1)), what="v2 on both")
            swapped = time.monotonic() - promoted
            time.sleep(0.5)
        assert traffic.failures == []
        assert {r[3] for r in traffic.records} == {200}
        for replica in (0, 1):
            answers = [r for r in traffic.records if r[0] == replica]
            first_v2 = min(r[1] for r in answers if r[2] == v2)
            assert {r[2] for r in answers if r[1] > first_v2} == {v2}  # never back to v1
        print(f"both replicas served v{v2} {swapped:.2f}s after the promotion")
    finally:
        for replica in replicas:
            replica.terminate()
        for replica in replicas:
            try:
                replica.wait(30)
            except subprocess.TimeoutExpired:
                replica.kill()
