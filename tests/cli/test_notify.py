"""``calmops notify test`` against a real webhook receiver and SMTP server on loopback."""

from __future__ import annotations

import json

import yaml
from tests.receivers import SECRET, hook, mailbox  # noqa: F401 - the receivers
from typer.testing import CliRunner

from calmops.cli.main import app


def settings(home, section) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "notifications.yaml").write_text(yaml.safe_dump({"notifications": section}))


def test_a_test_notification_reaches_every_channel(tmp_path, hook, mailbox, monkeypatch):  # noqa: F811
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    settings(tmp_path, {
        "webhooks": [{"url": hook.url, "secret_env": "HOOK_SECRET", "format": "teams"}],
        "email": {"host": mailbox.host, "port": mailbox.port, "starttls": False,
                  "from": "a@lab.test", "to": ["b@lab.test"]},
    })  # fmt: skip
    result = CliRunner().invoke(app, ["notify", "test", "--home", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["sent"] for r in json.loads(result.stdout)] == [True, True]
    assert hook.requests[0]["signed"] and hook.requests[0]["json"]["type"] == "message"
    assert "test notification" in mailbox.messages[0]["data"]


def test_a_channel_that_fails_is_said_with_exit_1(tmp_path, hook):  # noqa: F811
    hook.fail_first = 100
    settings(tmp_path, {"webhooks": [{"url": hook.url, "attempts": 2, "backoff_seconds": 0}]})
    result = CliRunner().invoke(app, ["notify", "test", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "not delivered: attempt 1: HTTP 503" in result.output


def test_no_channel_is_one_line_with_what_to_add(tmp_path):
    result = CliRunner().invoke(app, ["notify", "test", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "no notification channel set up" in result.output
