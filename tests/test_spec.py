"""The pipeline spec: the minimal spec is accepted, and every mistake names its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmops.errors import InvalidNameError, SpecError
from calmops.spec import PipelineSpec, reference_markdown, validate_name


def _spec(**changes) -> dict:
    base = {"name": "demo", "data": {"dir": "/data/in", "target": "label"}}
    base.update(changes)
    return base


def _error(data: dict) -> str:
    with pytest.raises(SpecError) as caught:
        PipelineSpec.from_dict(data)
    return str(caught.value)


def test_the_minimal_spec_of_the_issue_is_accepted_as_is(tmp_path: Path, minimal_spec: str):
    path = tmp_path / "spec.yaml"
    path.write_text(minimal_spec)
    spec = PipelineSpec.from_yaml(path)
    assert spec.name == "demo" and spec.kind == "stream"
    assert spec.data.dir == tmp_path / "incoming"  # relative to the spec file
    assert spec.data.target == "label"
    assert spec.model.class_name == "sklearn.linear_model.LogisticRegression"
    assert spec.model.params == {"max_iter": 500}
    assert spec.retrain.strategy == "full"


def test_defaults_are_filled_in() -> None:
    spec = PipelineSpec.from_dict({"name": "x", "data": {"dir": "/d"}})
    assert spec.trigger.type == "manual" and spec.trigger.timezone == "UTC"
    assert spec.data.target is None and spec.seed == 0


def test_round_trip_through_yaml(tmp_path: Path) -> None:
    spec = PipelineSpec.from_dict(_spec(kind="block", data={"dir": "/d", "block_column": "m"}))
    path = tmp_path / "again.yaml"
    path.write_text(spec.to_yaml())
    assert PipelineSpec.from_yaml(path) == spec


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _spec(kind="streem"),
            "kind: no pipeline kind 'streem'; choose from block, ipip, stream; "
            "did you mean 'stream'?",
        ),
        (
            _spec(trigger={"type": "cron"}),
            "trigger.type: no trigger 'cron'; choose from manual, schedule, watch",
        ),
        ({"name": "demo"}, "data: is required"),
        ({"name": "demo", "data": {"target": "y"}}, "data.dir: is required"),
        ({"data": {"dir": "/d"}}, "name: is required"),
        (_spec(kindd="stream"), "kindd: unknown field (allowed: name, kind, description, data"),
        (
            _spec(data={"dir": "/d", "traget": "y"}),
            "data.traget: unknown field (allowed: dir, target, block_column",
        ),
        (_spec(model={"class": "sklearn.svm.SVC", "params": [1]}), "model.params: input should"),
        (
            _spec(trigger={"settle_ms": "soon"}),
            "trigger.settle_ms: input should be a valid integer",
        ),
        (_spec(trigger={"settle_ms": -5}), "trigger.settle_ms: input should be greater than"),
        (_spec(seed="abc"), "seed: input should be a valid integer"),
        (_spec(model={"class": "LogisticRegression"}), "model.class: must be a dotted class path"),
        (
            _spec(retrain={"strategy": "sometimes"}),
            "retrain.strategy: no retrain strategy 'sometimes'; choose from adaptive, full",
        ),
        (
            _spec(trigger={"type": "schedule"}),
            "trigger.schedule: is required when trigger.type is schedule",
        ),
        (_spec(trigger={"type": "schedule", "schedule": "often"}), "trigger.schedule: must be"),
        (_spec(kind="block"), "data.block_column: is required when kind is block"),
        (_spec(name="../x"), "name: use letters, digits"),
    ],
)
def test_errors_name_the_field_and_what_is_allowed(data: dict, message: str) -> None:
    assert message in _error(data)


def test_a_full_pipeline_of_steps() -> None:
    steps = [
        {"class": "sklearn.preprocessing.StandardScaler"},
        {"class": "sklearn.svm.SVC", "params": {"C": 2.0}},
    ]
    spec = PipelineSpec.from_dict(_spec(model={"steps": steps}))
    assert [s.class_name for s in spec.model.steps] == [
        "sklearn.preprocessing.StandardScaler",
        "sklearn.svm.SVC",
    ]
    assert spec.with_changes({"seed": 3}).model == spec.model
    both = _spec(model={"class": "sklearn.svm.SVC", "steps": steps})
    assert _error(both) == "model: give either class/params or steps, not both"
    assert _error(_spec(model={"steps": []})) == "model: give at least the estimator step"


def test_fallback_must_differ() -> None:
    message = _error(_spec(retrain={"strategy": "window", "fallback": "window"}))
    assert message == "retrain.fallback: must differ from retrain.strategy"


def test_several_errors_are_reported_together() -> None:
    message = _error({"name": "demo", "kind": "x", "data": {}})
    assert "kind: no pipeline kind 'x'" in message and "data.dir: is required" in message


@pytest.mark.parametrize("schedule", ["*/10 * * * *", "0 3 * * mon-fri", "30s", "10m", "1h"])
def test_valid_schedules(schedule: str) -> None:
    spec = PipelineSpec.from_dict(_spec(trigger={"type": "schedule", "schedule": schedule}))
    assert spec.trigger.schedule == schedule


@pytest.mark.parametrize("name", ["demo", "a", "A1_b.c-d", "9lives", "x" * 64])
def test_valid_names(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x", "use letters"),
        ("my pipeline", "use letters"),
        ("", "it is empty"),
        ("x" * 65, "longer than 64"),
        (".hidden", "use letters"),
        ("-dash", "use letters"),
        ("a/b", "use letters"),
    ],
)
def test_invalid_names(name: str, reason: str) -> None:
    with pytest.raises(InvalidNameError, match=reason):
        validate_name(name)


def test_with_changes_validates_and_keeps_the_rest() -> None:
    spec = PipelineSpec.from_dict(_spec(model={"params": {"C": 1.0}}))
    changed = spec.with_changes({"retrain.strategy": "window", "model.params.max_iter": 50})
    assert changed.retrain.strategy == "window"
    assert changed.model.params == {"C": 1.0, "max_iter": 50}
    assert changed.data == spec.data
    with pytest.raises(SpecError, match="retrain.strategy: no retrain strategy 'nope'"):
        spec.with_changes({"retrain.strategy": "nope"})
    with pytest.raises(SpecError, match="name: cannot be changed"):
        spec.with_changes({"name": "other"})
    with pytest.raises(SpecError, match="data.dir: is not a section"):
        spec.with_changes({"data.dir.x": 1})
    # an unset section is started by its first field, then validated as a whole
    chunked = spec.with_changes({"data.chunk.by": "rows", "data.chunk.size": 500})
    assert (chunked.data.chunk.by, chunked.data.chunk.size) == ("rows", 500)
    with pytest.raises(SpecError, match="chunk by rows takes `size`"):
        spec.with_changes({"data.chunk.by": "rows"})


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: demo\ndata:\n  dir: [unclosed\n")
    with pytest.raises(SpecError, match=r"bad.yaml: invalid YAML at line \d"):
        PipelineSpec.from_yaml(path)


def test_a_spec_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(SpecError, match="a spec must be a mapping of fields"):
        PipelineSpec.from_yaml(path)


def test_missing_spec_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        PipelineSpec.from_yaml(tmp_path / "nope.yaml")


def test_the_documented_reference_is_up_to_date() -> None:
    documented = (Path(__file__).parents[1] / "docs" / "pipeline-spec.md").read_text()
    assert documented == reference_markdown(), "run: python -m calmops.spec > docs/pipeline-spec.md"


def test_every_field_is_documented() -> None:
    for line in reference_markdown().splitlines()[7:]:
        assert not line.endswith("| None |"), line


def test_a_key_given_twice_is_refused_not_overwritten(tmp_path: Path, cli) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(
        "name: demo\ndata:\n  dir: incoming\n  target: y\ndrift:\n  alpha: 0.05\n  alpha: 0.5\n"
    )
    with pytest.raises(SpecError, match=r"twice.yaml: key 'alpha' appears twice .*lines 6 and 7"):
        PipelineSpec.from_yaml(path)
    result = cli("create", "-f", str(path))
    assert result.exit_code == 1
    assert "key 'alpha' appears twice" in result.output


def test_the_same_key_in_two_mappings_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("name: demo\ndata:\n  dir: incoming\n  target: y\nmodel:\n  params: {}\n")
    assert PipelineSpec.from_yaml(path).data.target == "y"
