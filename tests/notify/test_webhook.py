"""Webhooks against a real HTTP receiver on loopback: signature, retries with backoff,
final answers, and the three payload formats."""

from __future__ import annotations

import json
import time

import pytest
from tests.receivers import SECRET

from calmops.alerts import Alert
from calmops.errors import NotificationError
from calmops.notify import Message, WebhookSpec, payload, sign, verify_signature
from calmops.notify.webhook import send_webhook

ALERT = Alert("sea/r1/failed/run", "sea", "r1", "failed", "run failed", "bad.csv: empty", None)
MESSAGE = Message("sea", "r1", (ALERT,), url="http://127.0.0.1:8765/pipelines/sea/runs/r1")


def spec(hook, **changes) -> WebhookSpec:
    return WebhookSpec(url=hook.url, secret_env="HOOK_SECRET", **changes)


@pytest.fixture(autouse=True)
def secret(monkeypatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)


def test_a_signed_post_arrives_once(hook) -> None:
    delivery = send_webhook(spec(hook), MESSAGE)
    assert (delivery.attempts, delivery.status) == (1, 200)
    [request] = hook.requests
    assert request["signed"] is True
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"]["alerts"][0]["detail"] == "bad.csv: empty"
    assert request["json"]["url"].endswith("/pipelines/sea/runs/r1")


def test_failures_are_retried_with_growing_waits(hook) -> None:
    hook.fail_first = 3
    waits: list[float] = []
    delivery = send_webhook(
        spec(hook, attempts=5, backoff_seconds=0.5, backoff_factor=3), MESSAGE, sleep=waits.append
    )
    assert delivery.attempts == 4
    assert waits == [0.5, 1.5, 4.5]  # exponential: 0.5 * 3**k
    assert [r["answered"] for r in hook.requests] == [503, 503, 503, 200]
    assert all(r["signed"] for r in hook.requests)


def test_the_backoff_really_waits(hook) -> None:
    hook.fail_first = 2
    began = time.monotonic()
    send_webhook(spec(hook, attempts=3, backoff_seconds=0.05, backoff_factor=2), MESSAGE)
    assert time.monotonic() - began >= 0.05 + 0.1  # slept 0.05 then 0.1 s
    assert len(hook.requests) == 3


def test_attempts_are_bounded_and_every_reason_said(hook) -> None:
    hook.fail_first = 100
    with pytest.raises(NotificationError, match=r"attempt 1: HTTP 503.*attempt 3: HTTP 503"):
        send_webhook(spec(hook, attempts=3, backoff_seconds=0), MESSAGE)
    assert len(hook.requests) == 3


def test_a_client_error_is_not_retried(hook) -> None:
    hook.fail_first, hook.fail_status = 100, 400
    with pytest.raises(NotificationError, match="attempt 1: HTTP 400") as caught:
        send_webhook(spec(hook, attempts=4, backoff_seconds=0), MESSAGE)
    assert len(hook.requests) == 1
    assert "/hook" not in str(caught.value)  # the URL's path (often a token) is not shown


def test_a_wrong_secret_is_refused_by_the_receiver(hook, monkeypatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", "not-the-secret")
    with pytest.raises(NotificationError, match="HTTP 401"):
        send_webhook(spec(hook, attempts=1), MESSAGE)
    assert hook.requests[0]["signed"] is False


def test_an_unset_secret_variable_is_said(hook, monkeypatch) -> None:
    monkeypatch.delenv("HOOK_SECRET")
    with pytest.raises(Exception, match=r"\$HOOK_SECRET, which is not set"):
        send_webhook(spec(hook), MESSAGE)
    assert hook.requests == []


def test_nobody_listening_is_retried_then_said() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []
    dead = WebhookSpec(url=f"http://127.0.0.1:{port}/x", attempts=3, timeout_seconds=2)
    with pytest.raises(NotificationError, match="refused"):
        send_webhook(dead, MESSAGE, sleep=waits.append)
    assert waits == [1.0, 2.0]


def test_signature_covers_the_body_and_the_time() -> None:
    body = b'{"pipeline": "sea"}'
    good = sign(SECRET, 1_700_000_000, body)
    assert verify_signature(SECRET, "1700000000", body, good, now=1_700_000_100)
    assert not verify_signature(SECRET, "1700000000", body + b" ", good, now=1_700_000_100)
    assert not verify_signature(SECRET, "1700000001", body, good, now=1_700_000_100)
    assert not verify_signature(SECRET, "1700000000", body, good, now=1_700_001_000)  # replay
    assert not verify_signature(SECRET, None, body, good)


@pytest.mark.parametrize("format", ["calmops", "slack", "teams"])
def test_each_format_arrives_as_its_receiver_expects(hook, format: str) -> None:
    send_webhook(spec(hook, format=format), MESSAGE)
    sent = hook.requests[0]["json"]
    assert sent == json.loads(json.dumps(payload(MESSAGE, format)))
    if format == "slack":
        assert sent["text"] == "[CalmOps] sea: run failed"
        assert "bad.csv: empty" in sent["blocks"][1]["text"]["text"]
    elif format == "teams":
        assert sent["type"] == "message"
        card = sent["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card["content"]["type"] == "AdaptiveCard"
        assert card["content"]["actions"][0]["url"] == MESSAGE.url
    else:
        assert sent["type"] == "calmops.alerts" and sent["pipeline"] == "sea"
