"""Units of work for the worker processes: one method on one stream and seed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from detection_kit.baselines import BASELINES, run_baseline
from detection_kit.drive import Method, PipelineDriver, unfitted_model
from detection_kit.real import real_batches
from detection_kit.streams import Change, make_stream
from detection_kit.trace import Trace

__all__ = ["Done", "Task", "execute", "start_worker"]

_driver: PipelineDriver | None = None
_root: Path | None = None


@dataclass(frozen=True)
class Task:
    """``method`` None runs the baselines; ``real`` names a real data set instead of a stream."""

    stream: str
    seed: int
    method: Method | None
    batches: int
    batch_size: int
    model: str
    real: bool = False


@dataclass(frozen=True)
class Done:
    task: Task
    drift: str
    changes: tuple[Change, ...]
    traces: tuple[Trace, ...]


def start_worker(root: str) -> None:
    """Per process: remember where its workspace goes (made on first use)."""
    global _root, _driver
    _root, _driver = Path(root), None


def _the_driver() -> PipelineDriver:
    global _driver
    if _driver is None:
        assert _root is not None, "start_worker was not called"
        _driver = PipelineDriver(_root / f"worker-{os.getpid()}")
    return _driver


def execute(task: Task) -> Done:
    """Run one task in this process."""
    if task.real:
        batches, drift, changes = real_batches(task.stream, task.batch_size), "unknown", ()
    else:
        data = make_stream(task.stream, task.seed, task.batches, task.batch_size)
        batches, drift, changes = data.batches, data.drift, data.changes
    if task.method is None:
        model = unfitted_model(task.model)
        traces = tuple(run_baseline(name, batches, model) for name in BASELINES)
    else:
        name = f"{task.stream}-s{task.seed}-{task.method.name}"[:64]
        traces = (_the_driver().run(name, task.method, task.model, task.seed, batches),)
    return Done(task, drift, changes, traces)
