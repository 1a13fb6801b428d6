"""A real two-node Ray cluster on this machine (``ray.cluster_utils.Cluster``), started once
for the executor tests and shut down after them; skipped where Ray is not installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def cluster() -> Iterator[object]:
    """A head and one worker node, one CPU each; the driver is connected to it."""
    ray = pytest.importorskip("ray")
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    made = cluster_utils.Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "include_dashboard": False},
    )
    made.add_node(num_cpus=1)
    made.wait_for_nodes()
    ray.init(address=made.address, namespace="calmops", log_to_driver=False)
    try:
        yield made
    finally:
        ray.shutdown()
        made.shutdown()
