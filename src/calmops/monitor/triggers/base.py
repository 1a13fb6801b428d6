"""The ``Trigger`` extension point: what wakes a pipeline's worker.

A trigger only notices things and tells its :class:`TriggerSink`; it never runs a batch.
Its callbacks come from its own threads (a watchdog observer, a scheduler) and must return
quickly: the sink queues the work for the pipeline's worker thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from calmops.spec import PipelineSpec

__all__ = ["Trigger", "TriggerSink"]


class TriggerSink(Protocol):
    """Where a trigger reports; the monitor's worker implements it."""

    def file_changed(self, path: Path, complete: bool = False) -> None:
        """A data file appeared or changed (``complete``: renamed in, no need to settle)."""

    def scan(self, follow_young: bool = False) -> None:
        """Look for every pending file in the folder (at start, on a tick, after recovery)."""

    def problem(self, message: str | None) -> None:
        """The data folder cannot be watched (``message``), or is fine again (``None``)."""

    def note(self, level: str, kind: str, message: str) -> None:
        """Write a line to the pipeline's log."""


class Trigger(ABC):
    """Wakes a pipeline's worker; ``start`` is the one method a new trigger must write.

    Parameters
    ----------
    spec
        The pipeline's spec; a trigger reads ``spec.trigger`` and ``spec.data``.
    """

    name: ClassVar[str]

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec

    @abstractmethod
    def start(self, sink: TriggerSink) -> None:
        """Begin reporting to ``sink``; returns at once (work happens on other threads)."""

    def stop(self) -> None:
        """Stop reporting and release threads and OS resources."""
        return None

    def next_tick(self) -> datetime | None:
        """When the trigger fires next, if it runs on a clock."""
        return None

    def describe(self) -> str:
        """One line for ``calmops status``."""
        return self.name
