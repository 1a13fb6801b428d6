"""One holder at a time per pipeline, on every host: a lease in the store, kept by a heartbeat.

The file lock (:mod:`calmops.pipeline.lock`) stops two processes of one host; the lease stops
two hosts (or two Ray workers). It is taken before the lock and before anything runs, renewed
every third of its life by a thread, and given up on exit. A holder killed with SIGKILL stops
renewing: once its lease has expired, a waiting process takes the pipeline over and the
ledger hands it the interrupted file (on the holder's own host, where a dead pid can be
seen, at once). :meth:`PipelineLease.check` is called before each run
claims a file, so a holder whose lease was taken over (it was frozen past expiry) stops
instead of running a file twice.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from calmops.errors import LeaseLostError, PipelineBusyError, StoreUnavailableError
from calmops.store import Lease, Store, utcnow

__all__ = ["PipelineLease", "dead_here"]

# leases this process could not give up (the store was away): the next holder of the same
# pipeline in this process adopts them instead of waiting for them to expire
_ABANDONED: set[str] = set()


class PipelineLease:
    """Held while a process runs pipeline ``name``; use as a context manager.

    Parameters
    ----------
    store
        The shared store holding the ``leases`` table.
    name
        The pipeline.
    seconds
        How long the lease outlives a holder that stops renewing it.
    wait
        Seconds to wait for a lease held by another live process (a standby) before
        raising :class:`PipelineBusyError`; ``0`` fails at once.
    executor, node, host
        Where this process runs (shown by ``calmops status``); ``host`` defaults to the
        host name.

    Examples
    --------
    >>> from calmops.store import InMemoryStore, PipelineRecord
    >>> store = InMemoryStore()
    >>> _ = store.pipelines.create(PipelineRecord("demo", "stream", "watch", {"name": "demo"}))
    >>> with PipelineLease(store, "demo", seconds=5) as lease:
    ...     store.leases.get("demo").holder == lease.holder
    True
    >>> store.leases.get("demo") is None
    True
    """

    def __init__(
        self,
        store: Store,
        name: str,
        *,
        seconds: float = 30.0,
        wait: float = 0.0,
        executor: str = "local",
        node: str | None = None,
        host: str | None = None,
    ) -> None:
        self.store = store
        self.name = name
        self.seconds = seconds
        self.wait = wait
        self.executor = executor
        self.node = node
        self.host = host or socket.gethostname()
        self.holder = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.expires_at = utcnow()
        self._lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PipelineLease:
        deadline = time.monotonic() + self.wait
        while True:
            lease = self.store.leases.acquire(self._claim())
            if lease.holder in _ABANDONED:  # our own, left behind: adopt it
                _ABANDONED.discard(lease.holder)
                self.holder = lease.holder
                continue
            if lease.holder == self.holder:
                self.expires_at = lease.expires_at
                break
            if self._dead_here(lease):  # killed on this host: no need to wait for expiry
                lease = self.store.leases.acquire(self._claim(), replacing=lease.holder)
                if lease.holder == self.holder:
                    self.expires_at = lease.expires_at
                    break
            if time.monotonic() >= deadline:
                raise PipelineBusyError(_busy(self.name, lease, self.host))
            time.sleep(min(1.0, self.seconds / 4, max(deadline - time.monotonic(), 0.01)))
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._beat, name=f"calmops-lease-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if not self._lost:
            try:
                self.store.leases.release(self.name, self.holder)
            except StoreUnavailableError:
                _ABANDONED.add(self.holder)  # it expires on its own, or we adopt it

    def check(self) -> None:
        """Raise LeaseLostError if another process took the lease over; renew it first if
        the heartbeat could not (a store that was away), raising StoreUnavailableError if it
        still cannot."""
        if not self._lost and utcnow() >= self.expires_at - timedelta(seconds=self.seconds / 3):
            self._renew()
        if self._lost:
            raise LeaseLostError(
                f"pipeline '{self.name}': this process ({self.holder}) lost its lease to "
                f"{_holder_of(self.store, self.name)} (it was not renewed for "
                f"{self.seconds:g}s); it stops so the pipeline runs in one place only"
            )

    @property
    def lost(self) -> bool:
        """Whether another process took the lease over."""
        return self._lost

    def _dead_here(self, lease: Lease) -> bool:
        return lease.pid != os.getpid() and dead_here(lease, self.host)

    def _claim(self) -> Lease:
        now = utcnow()
        return Lease(
            pipeline=self.name,
            holder=self.holder,
            host=self.host,
            pid=os.getpid(),
            expires_at=now + timedelta(seconds=self.seconds),
            executor=self.executor,
            node=self.node,
            acquired_at=now,
        )

    def _renew(self) -> None:
        expires = utcnow() + timedelta(seconds=self.seconds)
        if self.store.leases.renew(self.name, self.holder, expires):
            self.expires_at = expires
        else:
            self._lost = True

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 3) and not self._lost:
            try:
                self._renew()
            except StoreUnavailableError:
                continue  # check() refuses new runs once the lease may have run out


def dead_here(lease: Lease, host: str | None = None) -> bool:
    """Whether ``lease`` is held by a process of this host (``host``: its name in leases,
    by default the host name) that no longer exists: it was killed, the lease just has not
    expired yet.

    >>> from calmops.store import utcnow
    >>> dead_here(Lease("demo", "h", socket.gethostname(), os.getpid(), utcnow()))
    False
    """
    if lease.host != (host or socket.gethostname()):
        return False
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return _zombie(lease.pid)


def _zombie(pid: int) -> bool:
    """A process that exited and was not waited for yet (Linux; elsewhere: not known)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _busy(name: str, lease: Lease, host: str) -> str:
    if lease.host == host and lease.executor == "local":  # as the file lock says it
        return (
            f"pipeline '{name}' is already running (pid {lease.pid}); "
            f"wait for it, or stop it with `calmops stop {name}`"
        )
    return (
        f"pipeline '{name}' is already running: {lease.executor} on {lease.host} "
        f"(pid {lease.pid}), its lease held until at least {lease.expires_at:%H:%M:%S} UTC; "
        f"stop it with `calmops stop {name}`, or wait: a holder that died is taken over "
        "once its lease expires"
    )


def _holder_of(store: Store, name: str) -> str:
    try:
        lease = store.leases.get(name)
    except StoreUnavailableError:
        return "another process"
    if lease is None:
        return "nobody (it was released)"
    return f"{lease.executor} on {lease.host} (pid {lease.pid})"
