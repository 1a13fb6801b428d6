"""Webhooks: a JSON POST, signed with a shared secret, retried with exponential backoff.

The signature covers the timestamp and the body, so a captured request cannot be replayed
later: ``X-CalmOps-Timestamp: <unix seconds>`` and ``X-CalmOps-Signature: sha256=<hex of
HMAC-SHA256(secret, "<timestamp>.<body>")>``. A receiver checks both with
:func:`verify_signature`.

A connection error, a timeout, ``429`` or a ``5xx`` answer is tried again after
``backoff_seconds``, then that times ``backoff_factor``, and so on, ``attempts`` times in all;
any other ``4xx`` answer is final (the request itself is wrong).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from calmops.errors import NotificationError
from calmops.notify.config import WebhookSpec, secret_from_env
from calmops.notify.message import Message, payload

__all__ = ["Delivery", "send_webhook", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-CalmOps-Signature"
TIMESTAMP_HEADER = "X-CalmOps-Timestamp"
TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class Delivery:
    """A notification that was delivered: where, after how many attempts, the answer."""

    channel: str
    attempts: int
    status: int | None = None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``.

    >>> sign("s3cret", 1700000000, b'{"a": 1}')[:15]
    'sha256=82fc0b8b'
    """
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str | None,
    body: bytes,
    signature: str | None,
    *,
    now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Whether a received request is signed with ``secret`` and recent (no replay).

    >>> body = b'{"a": 1}'
    >>> verify_signature("s3cret", "1700000000", body, sign("s3cret", 1700000000, body),
    ...                  now=1700000010)
    True
    >>> verify_signature("s3cret", "1700000000", body, sign("s3cret", 1700000000, body),
    ...                  now=1700009999)
    False
    """
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    moment = int(timestamp)
    if abs((time.time() if now is None else now) - moment) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)


def send_webhook(
    spec: WebhookSpec,
    message: Message,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``message`` to ``spec.url`` in ``spec.format``; raises NotificationError after
    the last failed attempt, with the reason of each."""
    body = json.dumps(payload(message, spec.format), default=str).encode()
    secret = secret_from_env(spec.secret_env, "the webhook secret")
    reasons: list[str] = []
    wait = spec.backoff_seconds
    for attempt in range(1, spec.attempts + 1):
        status, reason, final = _post(spec, body, secret)
        if reason is None:
            return Delivery(f"webhook {_host(spec.url)}", attempt, status)
        reasons.append(f"attempt {attempt}: {reason}")
        if final or attempt == spec.attempts:
            break
        sleep(wait)
        wait *= spec.backoff_factor
    raise NotificationError(f"webhook {_host(spec.url)} not delivered: {'; '.join(reasons)}")


def _post(
    spec: WebhookSpec, body: bytes, secret: str | None
) -> tuple[int | None, str | None, bool]:
    """One attempt: (status, reason it failed or None, whether trying again is pointless)."""
    headers = {"Content-Type": "application/json", "User-Agent": "calmops-notify"}
    if secret is not None:
        timestamp = int(time.time())
        headers[TIMESTAMP_HEADER] = str(timestamp)
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
    request = urllib.request.Request(spec.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=spec.timeout_seconds) as response:  # noqa: S310 - http(s) only, checked by the spec
            return response.status, None, False
    except urllib.error.HTTPError as error:
        retry = error.code == 429 or error.code >= 500
        return error.code, f"HTTP {error.code} {error.reason}", not retry
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{reason}", False


def _host(url: str) -> str:
    """The host of a URL only: a webhook's path often holds a token, never logged.

    >>> _host("https://hooks.slack.com/services/T000/B000/XXXX")
    'hooks.slack.com'
    """
    return urllib.parse.urlsplit(url).netloc.rsplit("@", 1)[-1]
