"""A wrong registered name is refused by validate, create and update, on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

MODEL = "sklearn.linear_model.LogisticRegression"

CASES = [
    ("drift.numeric_test", "kss", "no drift test 'kss'; choose from anderson,", "ks"),
    ("drift.detector", "adwn", "no streaming detector 'adwn'; choose from none, adwin,", "adwin"),
    ("decision.metric", "f2score", "no metric 'f2score'; choose from custom, accuracy,", None),
    ("retrain.strategy", "ful", "no retrain strategy 'ful'; choose from adaptive, full,", "full"),
    ("kind", "streem", "no pipeline kind 'streem'; choose from block, ipip, stream", "stream"),
    ("trigger.type", "wach", "no trigger 'wach'; choose from manual, schedule, watch", "watch"),
]


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("error: ") and len(message.splitlines()) == 1, message
    return message


def _check(message: str, field: str, expected: str, hint: str | None) -> None:
    assert f"{field}: {expected}" in message
    if hint:
        assert message.endswith(f"; did you mean '{hint}'?")


def _spec_file(tmp_path: Path, minimal_spec: str, field: str, value: str) -> Path:
    data = yaml.safe_load(minimal_spec)
    *parents, last = field.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(("field", "value", "expected", "hint"), CASES)
def test_validate_and_create_refuse_it(
    cli, tmp_path, home, minimal_spec, field, value, expected, hint
) -> None:
    path = _spec_file(tmp_path, minimal_spec, field, value)
    _check(_one_line_error(cli("validate", str(path))), field, expected, hint)
    _check(_one_line_error(cli("create", "-f", str(path))), field, expected, hint)
    assert not (home / "pipelines" / "demo").exists()


@pytest.mark.parametrize(("field", "value", "expected", "hint"), CASES)
def test_update_refuses_it_and_changes_nothing(cli, tmp_path, field, value, expected, hint) -> None:
    data_dir = str(tmp_path / "incoming")
    created = cli("create", "demo", "--data-dir", data_dir, "--target", "label", "--model", MODEL)
    assert created.exit_code == 0, created.output
    before = cli("show", "demo", "--json").stdout
    message = _one_line_error(cli("update", "demo", "--set", f"{field}={value}"))
    _check(message, field, expected, hint)
    assert cli("show", "demo", "--json").stdout == before


@pytest.mark.parametrize(("field", "value", "expected", "hint"), CASES)
def test_update_from_a_file_refuses_it_and_changes_nothing(
    cli, tmp_path, minimal_spec, field, value, expected, hint
) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "spec.yaml").write_text(minimal_spec)
    assert cli("create", "-f", str(good / "spec.yaml")).exit_code == 0
    before = cli("show", "demo", "--json").stdout
    path = _spec_file(tmp_path, minimal_spec, field, value)
    _check(_one_line_error(cli("update", "demo", "-f", str(path))), field, expected, hint)
    assert cli("show", "demo", "--json").stdout == before
