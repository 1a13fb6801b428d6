"""``calmops status``: is a pipeline's monitor running, and how is it doing.

The state comes from the pipeline lock (held by a live monitor of this host or not), the
pipeline's lease (held by a live monitor anywhere: another host, a Ray actor) and the store:

- ``running``  a monitor holds the lock or a live lease (or a one-off ``run --once`` does:
  ``mode`` says so); ``executor``, ``host``, ``node`` and ``pid`` say where it runs
- ``paused``   a monitor runs, but the circuit breaker is open (no retraining until it closes)
- ``failed``   no process holds the lock, but the store says a monitor was running: it died
- ``stopped``  nobody runs it
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from calmops.monitor.folder import folder_problem
from calmops.monitor.state import lock_holder, read_state
from calmops.pipeline.attention import current_attention
from calmops.pipeline.lease import dead_here
from calmops.store import Lease, utcnow
from calmops.workspace import Workspace

__all__ = ["PipelineStatus", "live_state", "pipeline_status"]


@dataclass(frozen=True)
class PipelineStatus:
    """Everything ``calmops status`` shows about one pipeline."""

    name: str
    state: str
    trigger: str
    pid: int | None = None
    mode: str | None = None
    started_at: str | None = None
    uptime_seconds: float | None = None
    next_tick: str | None = None
    problem: str | None = None
    pending: int | None = None
    queued: int = 0
    current: str | None = None
    last_run: dict[str, Any] | None = None
    breaker: str = "closed"
    attention: tuple[str, ...] = ()  # what needs a person (calmops.pipeline.attention)
    executor: str | None = None  # local | ray, from the lease of whoever runs it
    host: str | None = None
    node: str | None = None  # the Ray node id

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def live_state(workspace: Workspace, name: str) -> str:
    """Just the state (``running``, ``paused``, ``failed``, ``stopped``), cheaply."""
    root = workspace.paths(name).root
    holder = lock_holder(root)
    saved = read_state(root) if holder is not None else None
    return _state(workspace, name, holder, saved, _live_lease(workspace, name))


def _live_lease(workspace: Workspace, name: str) -> Lease | None:
    """The pipeline's lease if a live process holds it (one killed on this host does not)."""
    lease = workspace.store.leases.get(name)
    if lease is None or not lease.live() or dead_here(lease, workspace.settings.host):
        return None
    return lease


def _state(workspace: Workspace, name: str, holder: int | None, saved, lease=None) -> str:
    monitored = holder is not None and saved is not None and saved.pid == holder
    if monitored or (holder is None and lease is not None):  # elsewhere: a host, a Ray node
        return "paused" if workspace.store.state.breaker(name).state == "open" else "running"
    if holder is not None:
        return "running"
    if workspace.store.pipelines.get(name).state in ("running", "failed"):
        return "failed"
    return "stopped"


def pipeline_status(workspace: Workspace, name: str, count_pending: bool = True) -> PipelineStatus:
    """The live status of pipeline ``name``.

    Examples
    --------
    >>> import tempfile
    >>> from calmops.settings import Settings
    >>> from calmops.spec import PipelineSpec
    >>> home = Path(tempfile.mkdtemp())
    >>> ws = Workspace(Settings(home=home))
    >>> _ = ws.create(PipelineSpec.from_dict({"name": "demo", "data": {"dir": str(home / "in")},
    ...     "trigger": {"type": "schedule", "schedule": "10m"}}))
    >>> status = pipeline_status(ws, "demo")
    >>> status.state, status.trigger, status.pending
    ('stopped', 'schedule 10m (UTC)', 0)
    """
    from calmops.monitor.triggers import trigger_for

    spec = workspace.spec(name)
    root = workspace.paths(name).root
    holder = lock_holder(root)
    saved = read_state(root)
    live = saved if saved is not None and holder is not None and saved.pid == holder else None
    breaker = workspace.store.state.breaker(name).state
    lease = _live_lease(workspace, name)
    if holder is None and lease is not None and saved is not None and saved.pid == lease.pid:
        live = saved  # a monitor of another host or Ray node, writing to the shared workspace
    state = _state(workspace, name, holder, saved, lease)
    started = None if live is None else datetime.fromisoformat(live.started_at)
    run = workspace.store.runs.latest(name)
    return PipelineStatus(
        name=name,
        state=state,
        trigger=live.trigger if live else trigger_for(spec).describe(),
        pid=holder if holder and holder > 0 else (lease.pid if lease is not None else None),
        mode=(live.mode if live else "one-off run")
        if holder is not None or lease is not None
        else None,
        started_at=None if live is None else live.started_at,
        uptime_seconds=None if started is None else (utcnow() - started).total_seconds(),
        next_tick=None if live is None else live.next_tick,
        problem=live.problem if live else folder_problem(Path(spec.data.dir)),
        pending=_pending(workspace, name) if count_pending else None,
        queued=0 if live is None else live.queued + live.settling,
        current=_current(live, run, holder),
        last_run=None if run is None else _run(run, interrupted=holder is None and lease is None),
        breaker=breaker,
        attention=tuple(current_attention(workspace.store, name)),
        executor=None if lease is None else lease.executor,
        host=None if lease is None else lease.host,
        node=None if lease is None else lease.node,
    )


def _current(live: Any, run: Any, holder: int | None) -> str | None:
    """What the pipeline works on: the monitor's word, else (a one-off ``run --once``) the
    source of the run in progress: a file, or a chunk ``data.csv [2026-01-05 → 2026-01-12]``."""
    if live is not None and live.current:
        return live.current
    if holder is not None and run is not None and run.status == "running":
        return run.source
    return None


def _pending(workspace: Workspace, name: str) -> int | None:
    from calmops.pipeline.runner import Runner

    try:
        return len(Runner(workspace, name).pending())
    except OSError:
        return None


def _run(run: Any, interrupted: bool) -> dict[str, Any]:
    # a run still "running" with nobody holding the lock was cut short; the next run takes
    # its file over
    status = "interrupted" if interrupted and run.status == "running" else run.status
    return {
        "id": run.id,
        "status": status,
        "decision": run.decision,
        "source": run.source,
        "started_at": run.started_at.isoformat(),
        "finished_at": None if run.finished_at is None else run.finished_at.isoformat(),
        "error": run.error,
    }
