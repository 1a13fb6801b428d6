"""Notifications after real runs: sent after the commit to a webhook and an SMTP server on
loopback, once per alert, and never failing the run."""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest
import yaml
from tests.harness import Lab, sea_batches
from tests.receivers import SECRET

from calmops.notify import notify_run

TREE = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 5}}


def configure(lab: Lab, hook=None, box=None, **extra) -> None:
    section: dict = {"dashboard_url": "http://127.0.0.1:8765", **extra}
    if hook is not None:
        section["webhooks"] = [{"url": hook.url, "secret_env": "HOOK_SECRET", "attempts": 2,
                                "backoff_seconds": 0}]  # fmt: skip
    if box is not None:
        section["email"] = {"host": box.host, "port": box.port, "starttls": False,
                            "from": "calmops@lab.test", "to": ["oncall@lab.test"]}  # fmt: skip
    (lab.home / "notifications.yaml").write_text(yaml.safe_dump({"notifications": section}))


def events(lab: Lab) -> list[dict]:
    path = lab.ws.paths("demo").logs / "events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def lab(tmp_path: Path, monkeypatch) -> Lab:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    lab = Lab(tmp_path)
    lab.create(model=TREE)
    return lab


def drifted_pair() -> list:
    first, second = sea_batches(2, size=600)
    second = second.copy()
    second["x0"] = second["x0"] + 4.0
    return [first, second]


@pytest.mark.slow
def test_a_drifted_run_is_sent_once_by_webhook_and_email(lab, hook, mailbox) -> None:
    configure(lab, hook, mailbox)
    first, second = drifted_pair()
    lab.write(first)
    lab.run()
    assert hook.requests == [] and mailbox.messages == []  # the first model: nothing to say
    lab.write(second)
    [result] = lab.run()
    assert result.status == "succeeded"
    [request] = hook.requests
    assert request["signed"] is True
    sent = request["json"]
    assert sent["run_id"] == result.run_id
    assert sent["url"] == f"http://127.0.0.1:8765/pipelines/demo/runs/{result.run_id}"
    assert ("signal", "data drift") in {(a["kind"], a["title"]) for a in sent["alerts"]}
    data = next(a for a in sent["alerts"] if a["title"] == "data drift")
    assert "features drifted" in data["detail"]
    [mail] = mailbox.messages
    assert "data drift" in email.message_from_string(mail["data"])["Subject"]

    run = lab.ws.store.runs.get("demo", result.run_id)
    assert notify_run(lab.ws, run, _Log()) == []  # the hook again: nothing is sent twice
    assert len(hook.requests) == 1 and len(mailbox.messages) == 1
    kinds = [e["kind"] for e in events(lab)]
    assert kinds.count("notification_sent") == 2


@pytest.mark.slow
def test_a_failed_notification_is_logged_and_the_run_stands(lab, hook, mailbox) -> None:
    hook.fail_first = 100
    configure(lab, hook, mailbox)
    lab.write_bytes(b"\x00\x01 not a table", "bad.csv")
    [result] = lab.run()
    assert result.status == "failed"  # failed because of its file, not of the notification
    assert len(hook.requests) == 2  # two attempts, both refused
    failed = [e for e in events(lab) if e["kind"] == "notification_failed"]
    assert len(failed) == 1 and "attempt 2: HTTP 503" in failed[0]["message"]
    [mail] = mailbox.messages  # the other channel still went out
    body = email.message_from_string(mail["data"]).get_payload()
    assert "run failed" in body and "bad.csv" in body
    lab.write(drifted_pair()[0])
    assert lab.run()[0].status == "succeeded"


@pytest.mark.slow
def test_kinds_and_pipelines_filter_what_goes_out(lab, hook) -> None:
    configure(lab, hook, kinds=["failed"])
    first, second = drifted_pair()
    lab.write(first)
    lab.write(second)
    lab.run()
    assert hook.requests == []  # a signal fired, but only failures are asked for
    configure(lab, hook, pipelines=["other"])
    lab.write_bytes(b"", "empty.csv")
    lab.run()
    assert hook.requests == []


@pytest.mark.slow
def test_an_opened_breaker_is_sent(lab, hook, tmp_path) -> None:
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "def preprocess(df):\n"
        "    if 'boom' in df.columns:\n"
        "        raise RuntimeError('the feature store is down')\n"
        "    return df\n"
    )
    lab.ws.update("demo", {"breaker": {"max_failures": 2}, "hooks": str(hooks)})
    configure(lab, hook, kinds=["breaker"])
    first = sea_batches(1, size=600)[0]
    lab.write(first)
    for i in range(2):
        lab.write(first.assign(boom=1).iloc[i:])
    lab.run()
    [request] = hook.requests
    [alert] = request["json"]["alerts"]
    assert alert["title"] == "circuit breaker opened"
    assert alert["detail"].startswith("2 consecutive failures: retraining paused until")


def test_an_invalid_settings_file_is_logged_not_raised(lab, hook) -> None:
    (lab.home / "notifications.yaml").write_text("notifications:\n  webhooks: [{url: ftp://x}]\n")
    log = _Log()
    from calmops.store import RunRecord

    run = RunRecord("r1", "demo", "failed", error="boom")
    assert notify_run(lab.ws, run, log) == []
    [(level, kind, message)] = log.lines
    assert (level, kind) == ("error", "notification_failed")
    assert "notifications.webhooks.0.url" in message


class _Log:
    """A stand-in for the pipeline log that keeps what it was told."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []

    def event(self, level: str, kind: str, message: str, **data) -> None:
        self.lines.append((level, kind, message))
