"""Sending a run's alerts where the workspace says, once each, after the run committed.

:func:`notify_run` is called by the runner after the store commit (never inside the
transaction). It never raises: a notification that could not be sent is logged in the
pipeline's log with its reason, and the run stays as it was. What was sent is recorded as a
``notification`` event in the store (the alert keys and the channel), so the same alert is
never sent twice on the same channel, even when the hook runs again for the same run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calmops.alerts import alerts_of_run
from calmops.errors import CalmopsError
from calmops.notify.config import NotificationsSpec, load_notifications
from calmops.notify.message import Message
from calmops.notify.smtp import send_email
from calmops.notify.webhook import Delivery, send_webhook
from calmops.store import EventRecord, RunRecord, Store
from calmops.workspace import Workspace

__all__ = ["Channel", "channels", "notify_run", "send_test"]

EVENT = "notification"
SENT_WINDOW = 1000  # the newest events searched for what was sent already


@dataclass(frozen=True)
class Channel:
    """Somewhere notifications go: an id that stays the same across edits, and a sender."""

    id: str
    send: Callable[[Message], Delivery]


def channels(spec: NotificationsSpec) -> list[Channel]:
    """Every webhook and the email, as channels (each id derived from its address)."""
    found = []
    for hook in spec.webhooks:
        digest = hashlib.sha256(hook.url.encode()).hexdigest()[:12]
        found.append(Channel(f"webhook:{digest}", lambda m, hook=hook: send_webhook(hook, m)))
    if spec.email is not None:
        email = spec.email
        found.append(
            Channel(f"email:{email.host}:{','.join(email.to)}", lambda m: send_email(email, m))
        )
    return found


def notify_run(workspace: Workspace, run: RunRecord, log: Any) -> list[Delivery]:
    """Send the new alerts of ``run`` on every configured channel; never raises.

    ``log`` is the pipeline's :class:`~calmops.pipeline.log.PipelineLog`.
    """
    try:
        spec = load_notifications(workspace.settings.home)
    except CalmopsError as error:
        log.event("error", "notification_failed", f"run {run.id}: no notification: {error}")
        return []
    if spec is None:
        return []
    try:
        return _notify(workspace.store, spec, run, log)
    except Exception as error:  # noqa: BLE001 - a notification never fails the run it reports
        log.event(
            "error",
            "notification_failed",
            f"run {run.id}: notifications not sent: {type(error).__name__}: {error}",
            run_id=run.id,
        )
        return []


def _notify(store: Store, spec: NotificationsSpec, run: RunRecord, log: Any) -> list[Delivery]:
    alerts = [a for a in alerts_of_run(run, run.report) if spec.wants(run.pipeline, a.kind)]
    if not alerts:
        return []
    sent = _sent(store, run.pipeline)
    done = []
    for channel in channels(spec):
        new = tuple(a for a in alerts if (channel.id, a.key) not in sent)
        if not new:
            continue
        message = Message(run.pipeline, run.id, new, spec.run_url(run.pipeline, run.id))
        try:
            delivery = channel.send(message)
        except CalmopsError as error:
            log.event("error", "notification_failed", f"run {run.id}: {error}", run_id=run.id)
            continue
        store.events.add(
            EventRecord(
                pipeline=run.pipeline,
                kind=EVENT,
                message=f"{delivery.channel}: {message.subject}",
                data={"channel": channel.id, "keys": [a.key for a in new], "run_id": run.id},
            )
        )
        log.event(
            "info",
            "notification_sent",
            f"run {run.id}: {len(new)} alert(s) sent by {delivery.channel} "
            f"(attempt {delivery.attempts})",
            run_id=run.id,
        )
        done.append(delivery)
    return done


def _sent(store: Store, pipeline: str) -> set[tuple[str, str]]:
    """(channel, alert key) pairs already sent for ``pipeline``."""
    pairs = set()
    for event in store.events.list(pipeline, limit=SENT_WINDOW):
        if event.kind == EVENT:
            channel = event.data.get("channel")
            pairs.update((channel, key) for key in event.data.get("keys") or ())
    return pairs


def send_test(spec: NotificationsSpec) -> list[tuple[str, Delivery | CalmopsError]]:
    """Send a test notification on every channel: (channel id, delivery or the error)."""
    message = Message("test", "test", (), test=True)
    results: list[tuple[str, Delivery | CalmopsError]] = []
    for channel in channels(spec):
        try:
            results.append((channel.id, channel.send(message)))
        except CalmopsError as error:
            results.append((channel.id, error))
    return results
