"""The ``ray`` executor: pipeline monitors as Ray actors spread over a cluster.

``pip install calmops[ray]``. Each actor runs a :class:`~calmops.monitor.MonitorService`
for one pipeline (or, with ``workers``, for a share of them) as a standby: it runs a
pipeline once it holds its lease. Actors are detached (they outlive ``calmops start``),
spread over the nodes (``SPREAD``) and restarted by Ray when they die
(``max_restarts=-1``); a restarted actor waits for the dead one's leases to expire and then
goes on where the ledger says (the interrupted file runs again, nothing runs twice). Every
node needs calmops installed, the workspace folder mounted at the same path and the store
reachable (PostgreSQL for more than one host).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from calmops.errors import CalmopsError
from calmops.executor.base import Placement
from calmops.workspace import Workspace

__all__ = ["FORWARDED_ENV", "NAMESPACE", "MonitorActor", "RayExecutor", "forwarded_env"]

NAMESPACE = "calmops"
PREFIX = "monitor:"
#: object-store settings an actor needs to reach the artifacts as ``calmops start`` does;
#: those set where ``start`` runs are handed to the actors (nodes with their own credentials,
#: an instance role say, need none of them)
FORWARDED_ENV = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
    "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_PROFILE", "NO_PROXY",
)  # fmt: skip


def forwarded_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The :data:`FORWARDED_ENV` variables set in ``environ`` (default: this process).

    >>> forwarded_env({"AWS_ENDPOINT_URL": "http://minio:9000", "HOME": "/root"})
    {'AWS_ENDPOINT_URL': 'http://minio:9000'}
    """
    environ = os.environ if environ is None else environ
    return {name: environ[name] for name in FORWARDED_ENV if environ.get(name)}


class MonitorActor:
    """The body of one Ray actor: a standby monitor of ``names`` in a thread.

    If the monitor dies of an error (a lost lease, a broken spec), the actor process exits
    so that Ray restarts it; :meth:`stop` ends it for good (the executor then kills it with
    ``no_restart``).
    """

    def __init__(
        self,
        home: str,
        db_url: str | None,
        names: list[str],
        lease_seconds: float,
        artifacts_url: str | None = None,
    ):
        import ray

        from calmops.monitor.service import MonitorService
        from calmops.settings import Settings

        self.node = ray.get_runtime_context().get_node_id()
        settings = Settings(
            home=Path(home),
            db_url=db_url,
            artifacts_url=artifacts_url,
            executor="ray",
            node=self.node[:16],
            lease_seconds=lease_seconds,
        )
        self.names = list(names)
        self.service = MonitorService(Workspace(settings), names, mode="ray", standby=True)
        self._thread = threading.Thread(target=self._serve, name="calmops-ray-monitor")
        self._thread.daemon = True
        self._thread.start()

    def _serve(self) -> None:
        try:
            self.service.run()
        except BaseException as error:  # the actor's boundary: die so that Ray restarts us
            logging.getLogger(__name__).error(
                "calmops monitor of %s failed: %s", ", ".join(self.names), error
            )
            os._exit(1)

    def where(self) -> dict[str, Any]:
        """Where this actor runs and what it did."""
        workers = self.service.workers
        return {
            "names": self.names,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "node": self.node,
            "runs": sum(w.runs for w in workers),
            "failed": sum(w.failed for w in workers),
        }

    def stop(self, timeout: float = 120.0) -> bool:
        """Stop after the current batches; whether the monitor stopped within ``timeout``."""
        self.service.stop("ray stop")
        self._thread.join(timeout)
        return not self._thread.is_alive()


class RayExecutor:
    """Runs pipeline monitors as Ray actors.

    Parameters
    ----------
    address
        The Ray cluster (``ray://host:10001``, ``host:6379`` or ``auto``: the cluster this
        host belongs to, started with ``ray start --head``).
    workers
        How many actors share the pipelines (round robin); ``None``: one actor per pipeline.
    num_cpus
        CPUs Ray reserves per actor: a monitor mostly waits and its batches use what is free,
        so a token share; not zero, which Ray's ``SPREAD`` ignores when placing.
    wait
        Seconds :meth:`start` waits for each pipeline to be taken by its actor.

    Examples
    --------
    >>> RayExecutor(address="auto", workers=2).name
    'ray'
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        num_cpus: float = 0.01,
        wait: float = 60.0,
        timeout: float = 120.0,
    ) -> None:
        self.address = address or os.environ.get("RAY_ADDRESS") or "auto"
        self.workers = workers
        self.num_cpus = num_cpus
        self.wait = wait
        self.timeout = timeout

    # ---- start ---------------------------------------------------------------------------

    def start(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        ray = self._connect()
        running = self._actors(ray)
        busy = {name: actor for actor, info in running.items() for name in info["names"]}
        placements: dict[str, Placement] = {}
        todo = [name for name in names if name not in busy]
        for name in names:
            if name in busy:
                message = f"already run by Ray actor {busy[name]}"
                placements[name] = Placement(name, "already_running", self.name, message=message)
        remote = ray.remote(MonitorActor)
        settings = workspace.settings
        for group in _groups(todo, self.workers):
            remote.options(
                name=PREFIX + ",".join(group)[:200],
                namespace=NAMESPACE,
                lifetime="detached",
                max_restarts=-1,
                num_cpus=self.num_cpus,
                scheduling_strategy="SPREAD",
                runtime_env={"env_vars": forwarded_env()} if forwarded_env() else None,
            ).remote(
                str(settings.home),
                settings.db_url,
                group,
                settings.lease_seconds,
                settings.artifacts_url,
            )
        placements.update(self._placed(workspace, todo))
        return [placements[name] for name in names]

    def _placed(self, workspace: Workspace, names: Sequence[str]) -> dict[str, Placement]:
        """Wait until each pipeline's lease is held by a Ray actor."""
        deadline = time.monotonic() + self.wait
        placed: dict[str, Placement] = {}
        while len(placed) < len(names):
            for lease in workspace.store.leases.list():
                if lease.pipeline in names and lease.executor == "ray" and lease.live():
                    where = f"node {lease.node} on {lease.host}"
                    placed[lease.pipeline] = Placement(
                        lease.pipeline, "started", self.name, lease.pid, lease.node, where
                    )
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        waiting = "its actor is up and waits for its lease; see `calmops status`"
        return placed | {
            name: Placement(name, "starting", self.name, message=waiting)
            for name in names
            if name not in placed
        }

    # ---- stop ----------------------------------------------------------------------------

    def stop(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        """Stop every actor that monitors one of ``names`` (with all its pipelines)."""
        ray = self._connect()
        placements: dict[str, Placement] = {}
        for actor_name, info in self._actors(ray).items():
            if not set(info["names"]) & set(names):
                continue
            actor = ray.get_actor(actor_name, namespace=NAMESPACE)
            stopped = ray.get(actor.stop.remote(self.timeout))
            ray.kill(actor, no_restart=True)
            status = "stopped" if stopped else "killed"
            for name in info["names"]:
                placements[name] = Placement(
                    name, status, self.name, info["pid"], info["node"], f"{info['runs']} runs"
                )
        for name in names:
            if name in placements:
                continue
            if workspace.store.pipelines.get(name).state in ("running", "failed"):
                workspace.store.pipelines.update(name, state="stopped")
            placements[name] = Placement(name, "not_running", self.name)
        return [placements[name] for name in names]

    # ---- the cluster ---------------------------------------------------------------------

    def _connect(self):
        try:
            import ray
        except ImportError:
            raise CalmopsError("the ray executor needs Ray: `pip install calmops[ray]`") from None
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address,
                    namespace=NAMESPACE,
                    log_to_driver=False,
                    configure_logging=False,
                )
            except ConnectionError as error:
                raise CalmopsError(
                    f"no Ray cluster answers at {self.address!r} ({error}); start one with "
                    "`ray start --head` or give --address"
                ) from None
        return ray

    @staticmethod
    def _actors(ray) -> dict[str, dict[str, Any]]:
        """Our live actors by name, with what each one says about itself."""
        from ray.util import list_named_actors

        found = {}
        for entry in list_named_actors(all_namespaces=True):
            if entry["namespace"] != NAMESPACE or not entry["name"].startswith(PREFIX):
                continue
            try:
                actor = ray.get_actor(entry["name"], namespace=NAMESPACE)
                found[entry["name"]] = ray.get(actor.where.remote(), timeout=30)
            except (ValueError, ray.exceptions.RayError):
                continue  # gone meanwhile
        return found


def _groups(names: Sequence[str], workers: int | None) -> list[list[str]]:
    """``names`` dealt round robin to ``workers`` actors (one each when ``None``).

    >>> _groups(["a", "b", "c"], 2), _groups(["a", "b"], None)
    ([['a', 'c'], ['b']], [['a'], ['b']])
    """
    if not workers:
        return [[name] for name in names]
    count = min(workers, len(names))
    return [list(names[index::workers]) for index in range(count)]
