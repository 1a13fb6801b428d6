"""``<home>/notifications.yaml``: validated, with errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmops.errors import SpecError
from calmops.notify import load_notifications
from calmops.notify.config import secret_from_env


def write(home: Path, text: str) -> Path:
    (home / "notifications.yaml").write_text(text)
    return home


def test_no_file_means_no_notifications(tmp_path) -> None:
    assert load_notifications(tmp_path) is None


def test_a_full_file_is_read(tmp_path) -> None:
    spec = load_notifications(
        write(
            tmp_path,
            "notifications:\n"
            "  kinds: [failed, breaker]\n"
            "  dashboard_url: http://127.0.0.1:8765/\n"
            "  webhooks:\n"
            "    - {url: 'https://hooks.slack.com/services/T/B/X', format: slack}\n"
            "    - {url: 'http://127.0.0.1:9000/h', format: teams, attempts: 2}\n"
            "  email: {host: smtp.lab.test, from: a@lab.test, to: [b@lab.test]}\n",
        )
    )
    assert [w.format for w in spec.webhooks] == ["slack", "teams"]
    assert spec.webhooks[1].attempts == 2 and spec.webhooks[0].attempts == 4
    assert (spec.email.port, spec.email.starttls, spec.email.sender) == (587, True, "a@lab.test")
    assert spec.wants("sea", "failed") and not spec.wants("sea", "signal")
    assert spec.run_url("sea", "r1") == "http://127.0.0.1:8765/pipelines/sea/runs/r1"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("notifications:\n  webhooks: [{url: x}]\n", "notifications.webhooks.0.url"),
        ("notifications:\n  webhooks: [{url: 'http://a', format: discord}]\n", "format"),
        ("notifications:\n  webhooks: [{url: 'http://a', attempts: 0}]\n", "attempts"),
        ("notifications:\n  kinds: [everything]\n", "notifications.kinds.0"),
        ("notifications:\n  email: {host: h, from: a@b.c, to: [nobody]}\n", "not an email"),
        ("notifications:\n  webhook: [{url: 'http://a'}]\n", "notifications.webhook"),
        ("notify:\n  webhooks: []\n", "one top-level key 'notifications'"),
        ("notifications:\n  kinds: [failed]\n  kinds: [signal]\n", "appears twice"),
        ("notifications: [\n", "not valid YAML"),
    ],
)
def test_mistakes_are_said_with_the_field(tmp_path, text: str, said: str) -> None:
    with pytest.raises(SpecError, match="notifications.yaml") as caught:
        load_notifications(write(tmp_path, text))
    assert said in str(caught.value)


def test_secrets_come_from_named_variables(monkeypatch) -> None:
    monkeypatch.setenv("CALMOPS_TEST_SECRET", "s")
    assert secret_from_env("CALMOPS_TEST_SECRET", "the secret") == "s"
    assert secret_from_env(None, "the secret") is None
    monkeypatch.delenv("CALMOPS_TEST_SECRET")
    with pytest.raises(SpecError, match=r"\$CALMOPS_TEST_SECRET, which is not set"):
        secret_from_env("CALMOPS_TEST_SECRET", "the secret")
