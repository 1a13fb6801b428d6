"""Every pipeline command, as a user runs it: output, --json, exit codes, nothing half-done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

MODEL = "sklearn.linear_model.LogisticRegression"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "incoming"


def _create(cli, data_dir: Path, name: str = "demo", *extra: str):
    return cli(
        "create", name, "--data-dir", str(data_dir), "--target", "label", "--model", MODEL, *extra
    )


def _one_line_error(result, exit_code: int = 1) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith("error: "), message
    assert len(message.splitlines()) == 1, message
    return message


# ---- create --------------------------------------------------------------------------------


def test_create_from_options(cli, home: Path, data_dir: Path) -> None:
    result = _create(cli, data_dir, "demo", "--param", "max_iter=500", "--kind", "stream")
    assert result.exit_code == 0, result.output
    assert "Created pipeline demo" in result.stdout
    assert "(created)" in result.stdout
    spec = yaml.safe_load((home / "pipelines/demo/config/pipeline.yaml").read_text())
    assert spec["model"]["class"] == MODEL
    assert spec["model"]["params"] == {"max_iter": 500}
    assert spec["data"]["dir"] == str(data_dir)
    assert data_dir.is_dir()


def test_create_from_the_issue_spec_file(cli, tmp_path: Path, minimal_spec: str) -> None:
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(minimal_spec)
    result = cli("create", "-f", str(spec_file))
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", "demo", "--json").stdout)
    assert shown["spec"]["data"]["dir"] == str(tmp_path / "incoming")
    assert shown["spec"]["model"]["params"] == {"max_iter": 500}


def test_create_from_a_file_with_a_new_name(cli, tmp_path: Path, minimal_spec: str) -> None:
    (tmp_path / "spec.yaml").write_text(minimal_spec)
    assert cli("create", "copy", "-f", str(tmp_path / "spec.yaml")).exit_code == 0
    assert [p["name"] for p in json.loads(cli("list", "--json").stdout)] == ["copy"]


def test_schedule_option_implies_a_schedule_trigger(cli, data_dir: Path) -> None:
    assert _create(cli, data_dir, "tick", "--schedule", "10m").exit_code == 0
    assert json.loads(cli("show", "tick", "--json").stdout)["trigger"] == "schedule"


def test_block_kind_from_options(cli, data_dir: Path) -> None:
    result = _create(cli, data_dir, "blocks", "--kind", "block", "--block-column", "month")
    assert result.exit_code == 0, result.output
    assert json.loads(cli("show", "blocks", "--json").stdout)["spec"]["data"]["block_column"] == (
        "month"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--kind", "streem"), "kind: no pipeline kind 'streem'; choose from block, ipip, stream"),
        (("--trigger", "sometimes"), "trigger.type: no trigger 'sometimes'; choose from manual"),
        (("--kind", "block"), "data.block_column: is required when kind is block"),
        (("--param", "max_iter"), "--param expects FIELD=VALUE"),
        (("--param", "nope=1"), "model.params: LogisticRegression rejected them"),
    ],
)
def test_create_with_bad_options_is_one_line_and_creates_nothing(
    cli, home: Path, data_dir: Path, args: tuple[str, ...], expected: str
) -> None:
    message = _one_line_error(_create(cli, data_dir, "demo", *args))
    assert expected in message
    assert json.loads(cli("list", "--json").stdout) == []
    assert not (home / "pipelines" / "demo").exists()


def test_create_with_an_unknown_model_class(cli, data_dir: Path) -> None:
    result = cli("create", "demo", "--data-dir", str(data_dir), "--model", "sklearn.svm.SVX")
    assert "module 'sklearn.svm' has no class 'SVX'" in _one_line_error(result)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("../x", "use letters"), ("has space", "use letters"), ("x" * 65, "longer than 64")],
)
def test_create_rejects_bad_names(cli, home: Path, data_dir: Path, name: str, reason: str):
    message = _one_line_error(_create(cli, data_dir, name))
    assert "name" in message and reason in message
    assert not (home / "x").exists() and not (home.parent / "x").exists()


def test_create_rejects_an_empty_name(cli, data_dir: Path) -> None:
    assert "it is empty" in _one_line_error(_create(cli, data_dir, ""))


def test_create_an_existing_pipeline(cli, home: Path, data_dir: Path) -> None:
    _create(cli, data_dir)
    before = (home / "pipelines/demo/config/pipeline.yaml").read_bytes()
    message = _one_line_error(_create(cli, data_dir, "demo", "--kind", "stream"))
    assert "already exists" in message
    assert (home / "pipelines/demo/config/pipeline.yaml").read_bytes() == before


def test_create_with_a_wrongly_typed_spec_file(cli, tmp_path: Path) -> None:
    spec_file = tmp_path / "bad.yaml"
    spec_file.write_text("name: demo\ndata: {dir: ./in}\ntrigger: {settle_ms: soon}\n")
    message = _one_line_error(cli("create", "-f", str(spec_file)))
    assert "trigger.settle_ms: input should be a valid integer" in message
    assert json.loads(cli("list", "--json").stdout) == []


def test_create_without_name_or_file_is_a_usage_error(cli) -> None:
    result = cli("create")
    assert result.exit_code == 2
    assert "give NAME and --data-dir" in result.output


# ---- list and show -----------------------------------------------------------------------


def test_list_empty_says_what_to_do(cli) -> None:
    result = cli("list")
    assert result.exit_code == 0
    assert "No pipelines" in result.stderr and "calmops create" in result.stderr
    assert json.loads(cli("list", "--json").stdout) == []


def test_list_table_and_json(cli, home: Path, data_dir: Path) -> None:
    _create(cli, data_dir, "beta", "--trigger", "watch")
    _create(cli, data_dir, "alpha")
    from dataclasses import replace

    from calmops.settings import Settings
    from calmops.store import ModelVersion, RunOutcome, RunRecord
    from calmops.workspace import Workspace

    store = Workspace(Settings(home=home)).store
    run = RunRecord(id="r1", pipeline="alpha", status="running")
    store.runs.begin(run)
    store.models.add(ModelVersion("alpha", 3, "models/v3/model.joblib", "0" * 64))
    store.runs.finish(
        RunOutcome(
            replace(run, status="succeeded", decision="train"),
            aliases={"champion": 3},
            alias_reason="test",
        )
    )

    table = cli("list").stdout
    header, *lines = [line.split() for line in table.strip().splitlines()]
    assert header[:4] == ["name", "kind", "trigger", "state"]
    assert lines[0][:4] == ["alpha", "stream", "manual", "stopped"]
    assert "(train)" in lines[0] and "v3" in lines[0]
    assert lines[1][:3] == ["beta", "stream", "watch"]

    rows = json.loads(cli("list", "--json").stdout)
    assert [r["name"] for r in rows] == ["alpha", "beta"]
    assert {"name", "kind", "trigger", "state"} <= set(rows[0])
    assert rows[0]["champion"] == 3
    assert rows[0]["last_run"]["decision"] == "train"
    assert rows[1]["last_run"] is None


def test_show_text_and_json(cli, data_dir: Path) -> None:
    _create(cli, data_dir)
    text = cli("show", "demo").stdout
    assert "demo" in text and "class: " + MODEL in text and "aliases: none yet" in text
    shown = json.loads(cli("show", "demo", "--json").stdout)
    assert {"name", "spec", "state"} <= set(shown)
    assert shown["name"] == "demo" and shown["state"] == "stopped"
    assert shown["spec"]["retrain"]["strategy"] == "adaptive"


@pytest.mark.parametrize("command", ["show", "delete", "update"])
def test_unknown_pipeline(cli, command: str) -> None:
    extra = ("--set", "seed=1") if command == "update" else ()
    message = _one_line_error(cli(command, "ghost", *extra))
    assert "no pipeline named 'ghost'" in message


def test_show_rejects_a_path_as_name(cli) -> None:
    assert "invalid pipeline name '../x'" in _one_line_error(cli("show", "../x"))


# ---- update --------------------------------------------------------------------------------


def test_update_with_set(cli, home: Path, data_dir: Path) -> None:
    _create(cli, data_dir)
    result = cli(
        "update", "demo", "--set", "retrain.strategy=window", "--set", "model.params.C=0.5"
    )
    assert result.exit_code == 0, result.output
    assert "retrain.strategy: 'adaptive' -> 'window'" in result.stdout
    assert "model.params.C: None -> 0.5" in result.stdout
    spec = yaml.safe_load((home / "pipelines/demo/config/pipeline.yaml").read_text())
    assert spec["retrain"]["strategy"] == "window"
    assert spec["model"]["params"] == {"C": 0.5}


def test_update_that_changes_nothing_says_so(cli, data_dir: Path) -> None:
    _create(cli, data_dir)
    assert "Nothing changed" in cli("update", "demo", "--set", "retrain.strategy=adaptive").stdout


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("retrain.strategy=sometimes", "retrain.strategy: no retrain strategy 'sometimes'"),
        ("kind=streem", "kind: no pipeline kind 'streem'; choose from block, ipip, stream"),
        ("trigger.settle_ms=soon", "trigger.settle_ms: input should be a valid integer"),
        ("name=other", "name: cannot be changed"),
        ("nonsense", "--set expects FIELD=VALUE"),
        ("model.class=sklearn.svm.Nope", "module 'sklearn.svm' has no class 'Nope'"),
    ],
)
def test_invalid_update_changes_nothing(
    cli, home: Path, data_dir: Path, assignment: str, expected: str
) -> None:
    _create(cli, data_dir)
    spec_file = home / "pipelines/demo/config/pipeline.yaml"
    before = spec_file.read_bytes()
    assert expected in _one_line_error(cli("update", "demo", "--set", assignment))
    assert spec_file.read_bytes() == before


def test_update_without_set_is_a_usage_error(cli, data_dir: Path) -> None:
    _create(cli, data_dir)
    assert cli("update", "demo").exit_code == 2


def _shown_spec(cli) -> dict:
    return json.loads(cli("show", "demo", "--json").stdout)["spec"]


def test_update_from_a_file_replaces_the_spec_field_by_field(
    cli, home: Path, tmp_path: Path, data_dir: Path
) -> None:
    _create(cli, data_dir)
    spec = _shown_spec(cli)
    spec["retrain"]["strategy"] = "window"
    spec["drift"]["numeric_test"] = "psi"
    spec["description"] = "from a file"
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump(spec))
    result = cli("update", "demo", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "retrain.strategy: 'adaptive' -> 'window'" in result.stdout
    assert "drift.numeric_test: None -> 'psi'" in result.stdout
    assert "description: '' -> 'from a file'" in result.stdout
    saved = yaml.safe_load((home / "pipelines/demo/config/pipeline.yaml").read_text())
    assert saved == _shown_spec(cli) == spec
    assert "Nothing changed" in cli("update", "demo", "-f", str(path)).stdout
    on_top = cli("update", "demo", "-f", str(path), "--set", "seed=7")
    assert on_top.exit_code == 0 and "seed: 0 -> 7" in on_top.stdout


def test_update_from_a_file_for_another_name_is_refused(
    cli, home: Path, tmp_path: Path, data_dir: Path, minimal_spec: str
) -> None:
    _create(cli, data_dir)
    before = (home / "pipelines/demo/config/pipeline.yaml").read_bytes()
    path = tmp_path / "other.yaml"
    path.write_text(minimal_spec.replace("name: demo", "name: other"))
    message = _one_line_error(cli("update", "demo", "-f", str(path)))
    assert "the file is for pipeline 'other', not 'demo'" in message
    missing = _one_line_error(cli("update", "demo", "-f", str(tmp_path / "ghost.yaml")))
    assert "ghost.yaml: no such file" in missing
    assert (home / "pipelines/demo/config/pipeline.yaml").read_bytes() == before


# ---- delete --------------------------------------------------------------------------------


def test_delete_with_yes(cli, home: Path, data_dir: Path) -> None:
    _create(cli, data_dir)
    result = cli("delete", "demo", "--yes")
    assert result.exit_code == 0 and "Deleted pipeline demo" in result.stdout
    assert not (home / "pipelines" / "demo").exists()
    assert json.loads(cli("list", "--json").stdout) == []


def test_delete_without_yes_when_not_interactive_refuses(cli, home: Path, data_dir: Path):
    _create(cli, data_dir)
    message = _one_line_error(cli("delete", "demo"))
    assert "without confirmation" in message and "--yes" in message
    assert (home / "pipelines" / "demo").exists()


# ---- validate and version --------------------------------------------------------------------


def test_validate_good_and_bad(cli, tmp_path: Path, minimal_spec: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(minimal_spec)
    result = cli("validate", str(good))
    assert result.exit_code == 0 and "is valid" in result.stdout
    assert json.loads(cli("validate", str(good), "--json").stdout)["valid"] is True

    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_spec.replace("kind: stream", "kind: streem"))
    assert "kind: no pipeline kind 'streem'; choose from block, ipip, stream" in _one_line_error(
        cli("validate", str(bad))
    )
    assert "no such file" in _one_line_error(cli("validate", str(tmp_path / "none.yaml")))


def test_version(cli) -> None:
    from calmops import __version__

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"calmops {__version__}"


def test_unknown_command_is_a_usage_error(cli) -> None:
    assert cli("frobnicate").exit_code == 2


def test_debug_shows_the_real_exception(cli, data_dir: Path) -> None:
    from typer.testing import CliRunner

    from calmops.cli.main import app

    result = CliRunner().invoke(app, ["--debug", "show", "ghost"])
    from calmops.errors import PipelineNotFoundError

    assert isinstance(result.exception, PipelineNotFoundError)


def test_home_option_after_the_command(cli, tmp_path: Path, data_dir: Path) -> None:
    from typer.testing import CliRunner

    from calmops.cli.main import app

    other = tmp_path / "other-home"
    runner = CliRunner()
    result = runner.invoke(app, ["create", "x", "--data-dir", str(data_dir), "--home", str(other)])
    assert result.exit_code == 0, result.output
    assert (other / "pipelines" / "x").is_dir()


def test_calmops_home_environment_variable(tmp_path: Path, monkeypatch, data_dir: Path):
    from typer.testing import CliRunner

    from calmops.cli.main import app

    monkeypatch.setenv("CALMOPS_HOME", str(tmp_path / "env-home"))
    result = CliRunner().invoke(app, ["create", "x", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-home" / "pipelines" / "x").is_dir()


def test_default_home_is_calmops_home_in_the_current_folder(tmp_path, monkeypatch, data_dir):
    from typer.testing import CliRunner

    from calmops.cli.main import app

    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["create", "x", "--data-dir", str(data_dir)]).exit_code == 0
    assert (tmp_path / "calmops-home" / "pipelines" / "x").is_dir()


def test_create_without_a_model_names_the_default(cli, data_dir: Path) -> None:
    result = cli("create", "demo", "--data-dir", str(data_dir), "--target", "label")
    assert result.exit_code == 0, result.output
    assert "model auto (HistGradientBoosting classifier or regressor by task)" in result.output
    ipip = ("--kind", "ipip", "--block-column", "month")
    result = cli("create", "imb", "--data-dir", str(data_dir), "--target", "label", *ipip)
    assert result.exit_code == 0, result.output
    assert "model auto (IPIP's own decision trees)" in result.output
