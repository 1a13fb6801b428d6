"""Email against a real SMTP receiver on loopback: the message, the login from the
environment, and clear errors."""

from __future__ import annotations

import email

import pytest

from calmops.alerts import Alert
from calmops.errors import NotificationError
from calmops.notify import EmailSpec, Message
from calmops.notify.smtp import send_email

ALERT = Alert("sea/r1/signal/data", "sea", "r1", "signal", "data drift", "3 of 4 drifted", None)


def spec(box, **changes) -> EmailSpec:
    fields = {"host": box.host, "port": box.port, "starttls": False, "from": "calmops@lab.test",
              "to": ["oncall@lab.test", "ml@lab.test"], **changes}  # fmt: skip
    return EmailSpec.model_validate(fields)


def test_a_plain_text_email_arrives(mailbox) -> None:
    delivery = send_email(spec(mailbox), Message("sea", "r1", (ALERT,), url="http://x/r1"))
    assert delivery.channel == f"email 127.0.0.1:{mailbox.port}"
    [sent] = mailbox.messages
    assert sent["from"] == "calmops@lab.test"
    assert sent["to"] == ["oncall@lab.test", "ml@lab.test"]
    parsed = email.message_from_string(sent["data"])
    assert parsed["Subject"] == "[CalmOps] sea: data drift"
    assert parsed.get_content_type() == "text/plain"
    body = parsed.get_payload(decode=True).decode()
    assert "- data drift: 3 of 4 drifted" in body and "Run: http://x/r1" in body
    assert mailbox.logins == []


def test_the_login_comes_from_the_environment(mailbox, monkeypatch) -> None:
    monkeypatch.setenv("SMTP_USER", "robot")
    monkeypatch.setenv("SMTP_PASSWORD", "pa55")
    send_email(
        spec(mailbox, user_env="SMTP_USER", password_env="SMTP_PASSWORD"),
        Message("sea", "r1", (), test=True),
    )
    assert mailbox.logins == [("robot", "pa55")]
    assert len(mailbox.messages) == 1


def test_starttls_refused_by_the_server_is_said(mailbox) -> None:
    with pytest.raises(NotificationError, match="does not offer STARTTLS"):
        send_email(spec(mailbox, starttls=True), Message("sea", "r1", (), test=True))
    assert mailbox.messages == []


def test_no_server_is_said() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = EmailSpec.model_validate({"host": "127.0.0.1", "port": port, "starttls": False,
                                     "from": "a@b.c", "to": ["d@e.f"]})  # fmt: skip
    with pytest.raises(NotificationError, match=f"email via 127.0.0.1:{port} not sent"):
        send_email(dead, Message("sea", "r1", (), test=True))
