"""Alerts: what in a finished run a person should hear about, read from its store record.

A run raises one alert per thing that went wrong or changed:

==========  ==========================================================================
kind        when
==========  ==========================================================================
``failed``  the run failed (its error)
``breaker`` the run opened the circuit breaker (retraining paused until a time)
``signal``  a drift signal fired (data, performance, detector, estimated performance...)
``chance``  the champion is no better than a constant on recent data (its attention)
``alert``   the decision ``alert``: the label-free estimate of performance fell
==========  ==========================================================================

Each alert has a ``key`` unique to the run and the thing (``pipeline/run/kind/name``), so a
notification sent for it is never sent again. The dashboards' alerts page and the
notifications (``calmops.notify``) read the same alerts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from calmops.store import RunRecord

__all__ = ["ALERT_KINDS", "SIGNAL_NAMES", "Alert", "alerts_of_run", "breaker_opening"]

ALERT_KINDS = {
    "failed": "run failed",
    "breaker": "circuit breaker opened",
    "signal": "signal fired",
    "chance": "no better than chance",
    "alert": "estimated performance fell",
}
"""Each kind of alert, with the words the pages and messages use for it."""

SIGNAL_NAMES = {
    "data": "data drift",
    "prediction": "prediction drift",
    "label": "label drift",
    "performance": "performance drop",
    "detector": "change in the error stream",
    "estimated_performance": "estimated performance drop",
}

CHANCE = "no better than chance"


@dataclass(frozen=True)
class Alert:
    """One alert of a run: what (``kind``, ``title``), why (``detail``) and when (``at``)."""

    key: str
    pipeline: str
    run_id: str
    kind: str
    title: str
    detail: str
    at: datetime | None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at"] = None if self.at is None else self.at.isoformat()
        return out


def alerts_of_run(run: RunRecord, report: dict[str, Any] | None = None) -> list[Alert]:
    """The alerts ``run`` raised, the heaviest first.

    The run's summary says which signals fired; ``report`` (the full run report, when at
    hand) gives each signal's sentence.

    Examples
    --------
    >>> run = RunRecord("r1", "sea", "succeeded", decision="retrain",
    ...                 summary={"signals": {"data": True, "performance": False}})
    >>> [(a.kind, a.title) for a in alerts_of_run(run)]
    [('signal', 'data drift')]
    >>> failed = RunRecord("r2", "sea", "failed", error="bad.csv: not a table")
    >>> alerts_of_run(failed)[0].detail
    'bad.csv: not a table'
    """
    summary = run.summary or {}
    found: list[tuple[str, str, str, str]] = []  # kind, name, title, detail
    if run.status == "failed":
        found.append(("failed", "run", ALERT_KINDS["failed"], run.error or "no reason recorded"))
    opened = summary.get("breaker_opened")
    if isinstance(opened, dict):
        found.append(("breaker", "breaker", ALERT_KINDS["breaker"], _breaker_text(opened)))
    if run.decision == "alert":
        found.append(("alert", "decision", ALERT_KINDS["alert"], summary.get("reason") or ""))
    for sentence in summary.get("attention") or ():
        if CHANCE in str(sentence):
            found.append(("chance", "champion", ALERT_KINDS["chance"], str(sentence)))
    sentences = (report or {}).get("signals") or {}
    for name, fired in (summary.get("signals") or {}).items():
        if fired:
            detail = (sentences.get(name) or {}).get("summary") or ""
            found.append(("signal", name, SIGNAL_NAMES.get(name, f"{name} signal"), detail))
    at = run.finished_at or run.started_at
    return [
        Alert(
            f"{run.pipeline}/{run.id}/{kind}/{name}",
            run.pipeline,
            run.id,
            kind,
            title,
            detail,
            at,
            run.source,
        )  # fmt: skip
        for kind, name, title, detail in found
    ]


def breaker_opening(before: Any, after: Any) -> dict[str, Any] | None:
    """What a run's summary records when it opened (or reopened) the breaker, else None.

    >>> from calmops.store import BreakerState
    >>> breaker_opening(BreakerState(), BreakerState("closed", 1)) is None
    True
    >>> sorted(breaker_opening(BreakerState("closed", 2), BreakerState("open", 3)))
    ['failures', 'retry_at']
    """
    if after is None or after.state != "open" or after == before:
        return None
    retry = None if after.retry_at is None else after.retry_at.isoformat()
    return {"failures": after.failures, "retry_at": retry}


def _breaker_text(opened: dict[str, Any]) -> str:
    failures = opened.get("failures")
    until = opened.get("retry_at")
    text = f"{failures} consecutive failures" if failures else "consecutive failures"
    when = f" until {str(until)[:16].replace('T', ' ')} UTC" if until else ""
    return f"{text}: retraining paused{when}"
