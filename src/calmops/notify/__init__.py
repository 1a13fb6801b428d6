"""Notifications: a run's alerts sent to webhooks (CalmOps JSON, Slack, Teams) and by email.

Configured per workspace in ``<home>/notifications.yaml`` (:mod:`calmops.notify.config`);
sent after each run commits (:func:`notify_run`); ``calmops notify test`` checks the set-up.
"""

from __future__ import annotations

from calmops.notify.config import (
    EmailSpec,
    NotificationsSpec,
    WebhookSpec,
    load_notifications,
)
from calmops.notify.dispatch import notify_run, send_test
from calmops.notify.message import Message, payload
from calmops.notify.webhook import sign, verify_signature

__all__ = [
    "EmailSpec",
    "Message",
    "NotificationsSpec",
    "WebhookSpec",
    "load_notifications",
    "notify_run",
    "payload",
    "send_test",
    "sign",
    "verify_signature",
]
