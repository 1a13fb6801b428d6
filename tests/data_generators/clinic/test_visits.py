"""Visits: the same patients, the same per-gene parameters, changes only where configured."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import DriftRecord
from calmops.data_generators.clinic import generate_cohort

SPEC = {
    "patients": 3000,
    "visits": 3,
    "stability": 1.0,  # identical baselines, so every effect shows exactly where it applies
    "genes": {"count": 20},
    "proteins": {"count": 5},
    "modules": [{"name": "m", "columns": ["G_10..G_19"], "correlation": 0.6}],
    "subgroups": [
        {"name": "a", "share": 0.5, "effects": ["up"]},
        {"name": "b", "remainder": True, "effects": ["late"]},
    ],
    "effects": {
        "up": {"kind": "fold_change", "columns": ["G_0..G_3"], "value": 4},
        "late": {"kind": "additive_shift", "columns": ["P_0"], "value": 50, "from_visit": 3},
    },
    "transitions": [{"visit": 2, "from": "control", "to": "a", "count": 300}],
    "module_changes": [{"visit": 3, "module": "m", "correlation": 0.1}],
}


@pytest.fixture(scope="module")
def cohort():
    return generate_cohort(SPEC, seed=21)


def _visit(table: pd.DataFrame, v: int) -> pd.DataFrame:
    return table[table["visit"] == v].reset_index(drop=True)


def test_same_patients_and_baseline_values_where_nothing_applies(cohort):
    wide = cohort.wide()
    one, two = _visit(wide, 1), _visit(wide, 2)
    assert one["patient_id"].tolist() == two["patient_id"].tolist()
    assert one[["age", "sex"]].equals(two[["age", "sex"]])
    stayed = (one["subgroup"] == two["subgroup"]).to_numpy()
    genes = [f"G_{i}" for i in range(20)]
    assert one.loc[stayed, genes].equals(two.loc[stayed, genes])
    moved = ~stayed
    assert one.loc[moved, "G_5"].equals(two.loc[moved, "G_5"])  # a gene no effect touches


def test_transitions_happen_at_their_visit_to_the_recorded_patients(cohort):
    wide = cohort.wide()
    one, two, three = (_visit(wide, v) for v in (1, 2, 3))
    event = next(e for e in cohort.record.events if e.operation == "transition")
    moved = set(event.params["patients"])
    assert len(moved) == 300 and event.params["visit"] == 2
    changed = set(two.loc[one["subgroup"] != two["subgroup"], "patient_id"])
    assert changed == moved
    assert set(one.loc[one["patient_id"].isin(moved), "subgroup"]) == {"control"}
    assert set(three.loc[three["patient_id"].isin(moved), "subgroup"]) == {"a"}
    assert event.onset_row == 3000 + min(int(p[4:]) - 1 for p in moved)
    # the moved patients' genes follow the effect from visit 2, on the same baseline
    rows = one["patient_id"].isin(moved).to_numpy()
    assert two.loc[rows, "G_1"].to_numpy() == pytest.approx(4 * one.loc[rows, "G_1"].to_numpy())


def test_an_effect_from_a_later_visit_starts_there(cohort):
    wide = cohort.wide()
    two, three = _visit(wide, 2), _visit(wide, 3)
    in_b = (three["subgroup"] == "b").to_numpy()
    assert three.loc[in_b, "P_0"].to_numpy() == pytest.approx(two.loc[in_b, "P_0"].to_numpy() + 50)
    assert np.array_equal(three.loc[~in_b, "P_0"], two.loc[~in_b, "P_0"])
    late = next(e for e in cohort.record.events if e.operation == "additive_shift")
    assert late.onset_row >= 6000 and late.params["subgroup"] == "b"


def test_a_module_change_moves_its_correlation_at_its_visit(cohort):
    wide = cohort.wide()
    module = [f"G_{i}" for i in range(10, 20)]

    def mean_r(v: int) -> float:
        r = np.corrcoef(np.log1p(_visit(wide, v)[module].to_numpy(float)).T)
        return float(r[~np.eye(10, dtype=bool)].mean())

    assert mean_r(1) == pytest.approx(mean_r(2))
    assert mean_r(2) > 0.45 and mean_r(3) < 0.15
    event = next(e for e in cohort.record.events if e.operation == "correlation")
    assert event.onset_row == 6000 and event.params["to_correlation"] == 0.1


def test_unstable_visits_keep_the_per_gene_parameters(normal_scores):
    spec = {**SPEC, "patients": 20000, "stability": 0.5, "transitions": [], "module_changes": []}
    cohort = generate_cohort({**spec, "subgroups": [], "effects": {}}, seed=2)
    genes = cohort.genes
    first = genes[genes["visit"] == 1].iloc[:, 2:].to_numpy(float)
    third = genes[genes["visit"] == 3].iloc[:, 2:].to_numpy(float)
    assert not np.array_equal(first, third)
    mean = np.array(cohort.parameters["gene_mean"])
    se = np.sqrt((mean + np.array(cohort.parameters["gene_dispersion"]) * mean**2) / 20000)
    assert np.all(np.abs(third.mean(axis=0) - mean) < 4 * se)
    a, b = normal_scores(first), normal_scores(third)
    within = [np.corrcoef(a[:, j], b[:, j])[0, 1] for j in range(20)]
    assert np.median(within) == pytest.approx(0.5, abs=0.03)  # the stability, per patient


def test_the_same_seed_gives_the_same_cohort_and_another_seed_does_not():
    first, again = generate_cohort(SPEC, seed=4), generate_cohort(SPEC, seed=4)
    assert first.wide().equals(again.wide())
    assert first.record == again.record
    assert not generate_cohort(SPEC, seed=5).wide().equals(first.wide())


def test_save_writes_every_layout_and_the_record(cohort, tmp_path):
    paths = cohort.save(tmp_path / "wide")
    assert [p.name for p in paths] == ["cohort.csv", "drift_record.json"]
    read = pd.read_csv(paths[0])
    assert read.shape == cohort.wide().shape
    assert DriftRecord.load(paths[1]) == cohort.record
    names = [p.name for p in cohort.save(tmp_path / "t", layout="tables", fmt="parquet")]
    assert names == ["clinical.parquet", "genes.parquet", "proteins.parquet", "drift_record.json"]
    genes = pd.read_parquet(tmp_path / "t" / "genes.parquet")
    assert genes.equals(cohort.genes)
    visits = [p.name for p in cohort.save(tmp_path / "v", layout="visits")]
    assert visits == ["visit_1.csv", "visit_2.csv", "visit_3.csv", "drift_record.json"]
    assert not list((tmp_path / "v").glob(".*"))  # no staging left behind
