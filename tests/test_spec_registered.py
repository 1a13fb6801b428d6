"""Spec fields that name a registered item are checked against the registry itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from calmops.errors import SpecError
from calmops.spec import PipelineSpec
from calmops.spec.registered import RegistryName


def _error(**section: Any) -> str:
    with pytest.raises(SpecError) as caught:
        PipelineSpec.from_dict({"name": "demo", "data": {"dir": "/d"}, **section})
    return str(caught.value)


def _registered_fields(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _registered_fields(annotation, key + ".")
        for rule in field.metadata:
            if isinstance(rule, RegistryName):
                yield key, field, rule


FIELDS = list(_registered_fields(PipelineSpec))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"drift": {"numeric_test": "kss"}},
            "drift.numeric_test: no drift test 'kss'; choose from anderson, cvm, energy, "
            "hellinger, jensen_shannon, kl, ks, mann_whitney, psi, wasserstein; did you mean 'ks'?",
        ),
        (
            {"drift": {"detector": "adwn"}},
            "drift.detector: no streaming detector 'adwn'; choose from none, adwin, cusum, ddm, "
            "eddm, ewma, hddm_a, hddm_w, kswin, page_hinkley; did you mean 'adwin'?",
        ),
        (
            {"decision": {"metric": "f2score"}},
            "decision.metric: no metric 'f2score'; choose from custom, accuracy, "
            "average_precision, balanced_accuracy, brier, f1, f1_macro, log_loss, mae, mape, "
            "precision, r2, recall, rmse, roc_auc",
        ),
        (
            {"retrain": {"strategy": "ful"}},
            "retrain.strategy: no retrain strategy 'ful'; choose from adaptive, full, ",
        ),
        (
            {"drift": {"numeric_test": "chi2"}},
            "drift.numeric_test: drift test 'chi2' does not apply to numeric columns; "
            "choose from anderson, cvm,",
        ),
        (
            {"drift": {"categorical_test": "ks"}},
            "drift.categorical_test: drift test 'ks' does not apply to categorical columns",
        ),
        ({"drift": {"correction": "holms"}}, "drift.correction: no correction 'holms'"),
        (
            {"promotion": {"thresholds": {"acuracy": 0.7}}},
            "promotion.thresholds: no metric 'acuracy'; choose from custom, accuracy,",
        ),
        ({"kind": "streem"}, "kind: no pipeline kind 'streem'; choose from block, ipip, stream"),
        ({"trigger": {"type": "cron"}}, "trigger.type: no trigger 'cron'; choose from manual,"),
    ],
)
def test_a_wrong_name_names_the_field_the_choices_and_the_closest(
    section: dict, message: str
) -> None:
    error = _error(**section)
    assert error.startswith(message) and "\n" not in error
    if message.endswith("?"):
        assert error == message
    if "retrain.strategy" in message:
        assert error.endswith("; did you mean 'full'?")


def test_every_registry_backed_field_is_found() -> None:
    assert {key for key, _, _ in FIELDS} == {
        "kind", "trigger.type", "retrain.strategy", "retrain.fallback", "drift.correction",
        "drift.numeric_test", "drift.categorical_test", "drift.detector", "decision.metric",
    }  # fmt: skip


@pytest.mark.parametrize(("key", "field", "rule"), FIELDS, ids=[key for key, _, _ in FIELDS])
def test_every_default_is_registered(key: str, field: Any, rule: RegistryName) -> None:
    """Defaults are not looked up when a spec is validated; this is why that is safe."""
    if field.default is not None:
        assert rule.check(field.default) == field.default
    assert field.default is None or field.default in rule.choices()


@pytest.mark.parametrize(("key", "field", "rule"), FIELDS, ids=[key for key, _, _ in FIELDS])
def test_the_reference_lists_the_registered_names(key: str, field: Any, rule: RegistryName):
    from calmops.spec import reference_markdown

    row = next(line for line in reference_markdown().splitlines() if f"| `{key}` |" in line)
    assert " / ".join(rule.choices()) in row


HEAVY = ("numpy", "pandas", "scipy", "sklearn", "river", "calmops.drift", "calmops.models")


def _heavy_modules_after(code: str) -> list[str]:
    code = "import json, sys\n" + code + "\nprint(json.dumps(sorted(sys.modules)))\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in json.loads(run.stdout) if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]


def test_a_spec_that_keeps_the_defaults_loads_no_registry() -> None:
    assert (
        _heavy_modules_after(
            "from calmops.spec import PipelineSpec\n"
            "spec = PipelineSpec.from_dict({'name': 'd', 'data': {'dir': 'x'}})\n"
            "PipelineSpec.from_dict(spec.to_dict())"
        )
        == []
    )


def test_a_saved_spec_is_read_back_without_looking_names_up(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("name: d\ndata: {dir: x}\ndrift: {numeric_test: psi, detector: ddm}\n")
    read = f"from calmops.spec import PipelineSpec\nPipelineSpec.from_yaml({str(path)!r}"
    assert _heavy_modules_after(read + ", check_names=False)") == []
    assert "calmops.drift" in _heavy_modules_after(read + ")")


def test_names_are_checked_unless_the_caller_says_they_were() -> None:
    data = {"name": "d", "data": {"dir": "x"}, "drift": {"detector": "adwn"}}
    assert PipelineSpec.from_dict(data, check_names=False).drift.detector == "adwn"
    with pytest.raises(SpecError, match="did you mean 'adwin'"):
        PipelineSpec.from_dict(data)
