"""One notification: the new alerts of a run, as plain text and as each webhook format.

=========  ========================================================================
format     payload
=========  ========================================================================
calmops    ``{"type": "calmops.alerts", "pipeline", "run_id", "url", "text", "alerts"}``
slack      ``{"text", "blocks"}`` (an incoming webhook's message)
teams      ``{"type": "message", "attachments": [Adaptive Card]}`` (a Teams workflow)
=========  ========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calmops.alerts import Alert

__all__ = ["FORMATS", "Message", "payload"]


@dataclass(frozen=True)
class Message:
    """The alerts of one run (``test`` for ``calmops notify test``)."""

    pipeline: str
    run_id: str
    alerts: tuple[Alert, ...]
    url: str | None = None
    test: bool = False

    @property
    def subject(self) -> str:
        """One line: ``[CalmOps] sea: run failed, data drift``."""
        if self.test:
            return "[CalmOps] test notification"
        titles = list(dict.fromkeys(a.title for a in self.alerts))
        return f"[CalmOps] {self.pipeline}: {', '.join(titles)}"

    @property
    def text(self) -> str:
        """The plain-text body: one paragraph per alert, then the link to the run.

        >>> alert = Alert("k", "sea", "r1", "failed", "run failed", "bad.csv: empty", None)
        >>> print(Message("sea", "r1", (alert,)).text)
        Pipeline sea, run r1:
        - run failed: bad.csv: empty
        """
        if self.test:
            return "A test notification from CalmOps: this channel is set up correctly."
        lines = [f"Pipeline {self.pipeline}, run {self.run_id}:"]
        for alert in self.alerts:
            lines.append(f"- {alert.title}: {alert.detail}" if alert.detail else f"- {alert.title}")
        if self.url:
            lines.append(f"Run: {self.url}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "calmops.test" if self.test else "calmops.alerts",
            "pipeline": self.pipeline,
            "run_id": self.run_id,
            "url": self.url,
            "subject": self.subject,
            "text": self.text,
            "alerts": [a.to_dict() for a in self.alerts],
        }


def _slack(message: Message) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.subject[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(message.text)}},
    ]
    if message.url:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{message.url}|run>"}]}
        )
    return {"text": message.subject, "blocks": blocks}


def _mrkdwn(text: str) -> str:
    """Slack's escaping: ``&``, ``<`` and ``>`` only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")[:3000]


def _teams(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": message.subject, "weight": "Bolder", "wrap": True}
    ]
    body += [
        {
            "type": "TextBlock",
            "text": f"**{a.title}**: {a.detail}" if a.detail else a.title,
            "wrap": True,
        }  # fmt: skip
        for a in message.alerts
    ] or [{"type": "TextBlock", "text": message.text, "wrap": True}]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open the run", "url": message.url}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


FORMATS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "calmops": Message.to_dict,
    "slack": _slack,
    "teams": _teams,
}


def payload(message: Message, format: str) -> dict[str, Any]:
    """The JSON body of ``message`` in ``format`` (``calmops``, ``slack`` or ``teams``).

    >>> payload(Message("sea", "r1", (), test=True), "slack")["text"]
    '[CalmOps] test notification'
    >>> payload(Message("sea", "r1", (), test=True), "teams")["type"]
    'message'
    """
    return FORMATS[format](message)
