"""Bad cohort specs get one clear error naming the field."""

from __future__ import annotations

import pytest

from calmops.data_generators.clinic import expand_columns, generate_cohort, load_config
from calmops.errors import SpecError

EFFECT = {"up": {"kind": "fold_change", "columns": ["G_0"], "value": 2}}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"visits": 0}, "visits: input should be greater than or equal to 1"),
        ({"patients": 0}, "patients: input should be greater than or equal to 1"),
        (
            {"genes": {"count": 5}, "effects": {"up": {"kind": "fold_change", "columns": ["G_9"]}}},
            "effects.up.columns: unknown column 'G_9'",
        ),
        ({"effects": {"up": {"kind": "squash", "columns": ["G_0"]}}}, "effects.up.kind"),
        (
            {"subgroups": [{"name": "a", "share": 0.7}, {"name": "b", "share": 0.5}]},
            "subgroups: the shares add up to 120%, more than 100%",
        ),
        (
            {
                "patients": 10,
                "subgroups": [{"name": "a", "count": 5}, {"name": "b", "remainder": True}],
            },
            "subgroups: 'b' gets no patients",
        ),
        ({"subgroups": [{"name": "a", "share": 0.5}]}, "belong to no subgroup"),
        ({"subgroups": [{"name": "a", "share": 0.5, "count": 3}]}, "exactly one of count"),
        (
            {"subgroups": [{"name": "a", "remainder": True, "effects": ["nope"]}]},
            "subgroups[0].effects: no effect 'nope'",
        ),
        (
            {
                "visits": 2,
                "transitions": [{"visit": 3, "from": "control", "to": "disease", "count": 1}],
            },
            "transitions[0].visit: 3 is after the last visit (2)",
        ),
        (
            {"visits": 2, "transitions": [{"visit": 2, "from": "control", "to": "x", "count": 1}]},
            "transitions[0].to: no group 'x'",
        ),
        (
            {"module_changes": [{"visit": 2, "module": "m", "correlation": 0.1}], "visits": 2},
            "module_changes[0].module: no module 'm'",
        ),
        (
            {"modules": [{"name": "m", "columns": ["G_0..G_3"], "correlation": 1.5}]},
            "modules.0.correlation",
        ),
        ({"target": {"weights": {"weight_kg": 1.0}}}, "target.weights: unknown column 'weight_kg'"),
        (
            {"demographics": {"custom": {"bmi": {"distribution": "nrom"}}}},
            "demographics.custom.bmi.distribution: 'nrom' is not a scipy.stats distribution",
        ),
        (
            {"demographics": {"custom": {"age": {"distribution": "norm"}}}},
            "demographics.custom.age: the name is taken",
        ),
        ({"colour": "red"}, "colour: unknown field"),
    ],
)
def test_bad_specs_name_the_field(spec, message):
    with pytest.raises(SpecError) as error:
        load_config(spec)
    assert message in str(error.value)


def test_a_transition_larger_than_its_group_is_refused():
    spec = {
        "patients": 10,
        "visits": 2,
        "transitions": [{"visit": 2, "from": "control", "to": "disease", "count": 6}],
    }
    with pytest.raises(
        SpecError, match=r"transitions\[0\].count: 6 patients asked but 'control' has only 5"
    ):
        generate_cohort(spec, seed=0)


def test_yaml_spec_and_errors_carry_the_path(tmp_path):
    good = tmp_path / "cohort.yaml"
    good.write_text("patients: 30\ngenes: {count: 4, kind: microarray}\nvisits: 2\n")
    assert load_config(good).genes.kind == "microarray"
    bad = tmp_path / "bad.yaml"
    bad.write_text("patients: 30\ncontrol_share: 2\n")
    with pytest.raises(SpecError, match="bad.yaml: control_share"):
        generate_cohort(bad)


def test_column_ranges_expand_and_bad_ranges_are_refused():
    assert expand_columns(["P_1..P_3"]) == ["P_1", "P_2", "P_3"]
    with pytest.raises(SpecError, match="bad column range 'G_3..P_5'"):
        expand_columns(["G_3..P_5"])
