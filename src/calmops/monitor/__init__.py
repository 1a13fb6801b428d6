"""Pipelines that run themselves: triggers, the monitor service, background start, deployment.

A monitor holds each pipeline's lock for its whole life, so only one can run per pipeline.
Triggers (watch, schedule, manual; see :mod:`calmops.monitor.triggers`) only queue work; a
worker thread per pipeline runs the batches through :class:`~calmops.pipeline.runner.Runner`,
whose ledger makes every file run exactly once, even across crashes.
"""

from __future__ import annotations

from calmops.monitor.service import MonitorService, ServiceSummary
from calmops.monitor.state import MonitorState, lock_holder, read_state
from calmops.monitor.triggers import TRIGGERS, Trigger, TriggerSink, trigger_for
from calmops.monitor.worker import PipelineWorker

__all__ = [
    "TRIGGERS",
    "MonitorService",
    "MonitorState",
    "PipelineWorker",
    "ServiceSummary",
    "Trigger",
    "TriggerSink",
    "lock_holder",
    "read_state",
    "trigger_for",
]
