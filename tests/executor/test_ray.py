"""Monitors as Ray actors on a real two-node Ray cluster started by the test
(``ray.cluster_utils.Cluster``): placed on both nodes, shown by ``calmops status``, restarted
by Ray after a SIGKILL and going on where the ledger says, stopped for good."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tests.harness import Lab, sea_rows, wait_for
from tests.monitor.conftest import SITE

from calmops.executor import RayExecutor
from calmops.monitor.status import pipeline_status

ray = pytest.importorskip("ray")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ray")]  # one cluster


def _all_done(lab: Lab, name: str, count: int) -> bool:
    runs = lab.by_file(name)
    return len(runs) == count and all("succeeded" in statuses for statuses in runs.values())


def test_monitors_run_as_actors_across_nodes_and_survive_a_kill(cluster, tmp_path: Path) -> None:
    lab = Lab(tmp_path, defaults=SITE, folder_per_pipeline=True)
    names = ["north", "south"]
    for name in names:
        lab.create(name)
        for index in range(2):
            lab.drop(sea_rows(300, seed=index), f"a{index}.csv", folder=lab.folder(name))
    executor = RayExecutor(address=cluster.address, wait=120)
    try:
        placed = executor.start(lab.ws, names)
        assert [(p.name, p.status, p.executor) for p in placed] == [
            ("north", "started", "ray"),
            ("south", "started", "ray"),
        ]
        assert len({p.node for p in placed}) == 2  # SPREAD: one actor on each node
        again = executor.start(lab.ws, names)
        assert {p.status for p in again} == {"already_running"}
        for name in names:
            wait_for(lambda name=name: _all_done(lab, name, 2), what=f"{name}'s first files")
        status = pipeline_status(lab.ws, "north")
        lease = lab.ws.store.leases.get("north")
        assert (status.state, status.executor, status.pid) == ("running", "ray", lease.pid)
        assert status.node == lease.node and status.host

        os.kill(lease.pid, signal.SIGKILL)  # Ray restarts the actor; it takes over
        wait_for(
            lambda: (
                (now := lab.ws.store.leases.get("north")) is not None
                and now.live()
                and now.pid != lease.pid
            ),
            timeout=120,
            what="the restarted actor's lease",
        )
        for index in range(3):
            lab.drop(sea_rows(300, seed=20 + index), f"b{index}.csv", folder=lab.folder("north"))
        wait_for(lambda: _all_done(lab, "north", 5), timeout=120, what="north's later files")
        for statuses in lab.by_file("north").values():
            assert statuses.count("succeeded") == 1

        stopped = executor.stop(lab.ws, names)
        assert {p.status for p in stopped} == {"stopped"}
        assert lab.ws.store.leases.list() == []
        assert pipeline_status(lab.ws, "south").state == "stopped"
    finally:
        for name in names:  # whatever happened, leave no actor behind
            try:
                ray.kill(ray.get_actor(f"monitor:{name}", namespace="calmops"), no_restart=True)
            except (ValueError, RuntimeError):
                pass
