"""The executor seam: where the monitors of pipelines run.

An executor takes pipeline names and starts their monitors somewhere: ``local`` as detached
processes on this host (:mod:`calmops.monitor.daemon`), ``ray`` as actors on a Ray cluster.
Wherever they run, each monitor takes its pipeline's lease in the store before it runs
anything (:mod:`calmops.pipeline.lease`), so two executors on one workspace never run one
pipeline twice, and ``calmops status`` reads from the lease where each one runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from calmops.workspace import Workspace

__all__ = ["Executor", "Placement"]


@dataclass(frozen=True)
class Placement:
    """What an executor did with one pipeline's monitor, and where.

    ``status`` is one of ``started``, ``starting``, ``already_running``, ``stopped``,
    ``killed``, ``not_running`` or ``still_running``.
    """

    name: str
    status: str
    executor: str
    pid: int | None = None
    node: str | None = None
    message: str = ""


class Executor(Protocol):
    """Starts and stops pipeline monitors; ``name`` is its registry name."""

    name: str

    def start(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        """Start the monitors of ``names``; one placement per pipeline."""

    def stop(self, workspace: Workspace, names: Sequence[str]) -> list[Placement]:
        """Stop the monitors of ``names`` after their current batch."""
