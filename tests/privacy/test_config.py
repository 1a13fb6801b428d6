"""The privacy YAML: strict keys, no duplicates, and checks that name the field."""

from __future__ import annotations

import pytest

from calmops.errors import SpecError
from calmops.privacy import PrivacyConfig, load_config

FULL = """
pseudonymize: {columns: [patient_id], key_env: MY_KEY}
generalize:
  age: {bins: [0, 18, 40, 65, 120]}
  visit_date: {truncate: month}
  income: {top: 200000, bottom: 10000}
  city: {groups: {north: [a, b], south: [c]}, other: other}
k_anonymity: {quasi_identifiers: [age, city], k: 5}
shuffle: [zip]
noise:
  budget: 2.0
  columns:
    income: {mechanism: laplace, epsilon: 1.0, bounds: [10000, 200000]}
    score: {mechanism: gaussian_analytic, epsilon: 0.5, delta: 1.0e-5, sensitivity: 3}
"""


def _load(tmp_path, text: str) -> PrivacyConfig:
    path = tmp_path / "privacy.yaml"
    path.write_text(text)
    return load_config(path)


def test_the_documented_example_loads(tmp_path):
    config = _load(tmp_path, FULL)
    assert config.pseudonymize.key_env == "MY_KEY"
    assert config.generalize["visit_date"].truncate == "month"
    assert config.noise.columns["income"].scale_sensitivity == 190_000
    assert config.noise.columns["score"].scale_sensitivity == 3
    assert config.columns() == {"patient_id", "age", "visit_date", "income", "city", "zip", "score"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shufle: [a]", "shufle: unknown field (allowed: pseudonymize, generalize, k_anonymity"),
        ("k_anonymity: {quasi_identifiers: [a], k: 5, l: 2}", "k_anonymity.l: unknown field"),
        ("generalize: {age: {bins: [0, 10], truncate: year}}", "generalize.age: give exactly one"),
        ("generalize: {age: {bins: [10, 0]}}", "bins must be at least two increasing edges"),
        ("generalize: {d: {truncate: decade}}", "generalize.d.truncate: must be one of day, week"),
        ("noise: {columns: {x: {epsilon: 1}}}", "noise.columns.x: give sensitivity or bounds"),
        ("noise: {columns: {x: {epsilon: 0, sensitivity: 1}}}", "noise.columns.x.epsilon"),
        (
            "noise: {budget: 1, columns: {x: {epsilon: 0.7, sensitivity: 1}, "
            "y: {epsilon: 0.7, sensitivity: 1}}}",
            "spend epsilon 1.4, over the budget 1",
        ),
        ("noise: {columns: {x: {mechanism: gaussian, epsilon: 0.5, sensitivity: 1}}}", "delta"),
        ("k_anonymity: {quasi_identifiers: [a], k: 3}\nshuffle: [a]", "would undo k-anonymity"),
        ("k_anonymity: {quasi_identifiers: [a], k: 1}", "k_anonymity.k"),
        ("pseudonymize: {columns: [id], key: secret}", "pseudonymize.key: unknown field"),
    ],
)
def test_bad_configs_name_the_field(tmp_path, text, message):
    with pytest.raises(SpecError, match="privacy.yaml: ") as error:
        _load(tmp_path, text)
    assert message in str(error.value)


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    text = "generalize:\n  age: {bins: [0, 1]}\n  age: {bins: [0, 2]}\n"
    with pytest.raises(
        SpecError, match=r"key 'age' appears twice in one mapping \(lines \d and 3\)"
    ):
        _load(tmp_path, text)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        load_config(tmp_path / "absent.yaml")
    with pytest.raises(SpecError, match="invalid YAML at line"):
        _load(tmp_path, "shuffle: [a\n")
    with pytest.raises(SpecError, match="is a mapping"):
        _load(tmp_path, "- a\n- b\n")


def test_an_empty_file_is_an_empty_config(tmp_path):
    assert _load(tmp_path, "") == PrivacyConfig()
