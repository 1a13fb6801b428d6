"""The ``local`` executor: each monitor a detached process on this host (the default)."""

from __future__ import annotations

from collections.abc import Sequence

from calmops.errors import PipelineBusyError
from calmops.executor.base import Placement
from calmops.monitor import daemon
from calmops.workspace import Workspace

__all__ = ["LocalExecutor"]


class LocalExecutor:
    """Today's background monitors (:func:`calmops.monitor.daemon.start`), one per pipeline.

    Parameters
    ----------
    wait
        Seconds to wait for each monitor to be up.
    timeout, force
        For :meth:`stop`: seconds to let the current batch finish, and whether to SIGKILL a
        monitor that has not stopped by then.

    Examples
    --------
    >>> LocalExecutor().name
    'local'
    """

    name = "local"

    def __init__(self, wait: float = 60.0, timeout: float = 120.0, force: bool = False) -> None:
        self.wait = wait
        self.timeout = timeout
        self.force = force

    def start(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        placements = []
        for name in names:
            try:
                result = daemon.start(workspace, name, wait=self.wait)
            except PipelineBusyError as busy:
                if len(names) == 1:
                    raise
                placements.append(Placement(name, "already_running", self.name, message=str(busy)))
                continue
            placements.append(_placement(result))
        return placements

    def stop(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        return [
            _placement(daemon.stop(workspace, name, timeout=self.timeout, force=self.force))
            for name in names
        ]


def _placement(result: daemon.LifecycleResult) -> Placement:
    return Placement(result.name, result.status, "local", result.pid, None, result.message)
