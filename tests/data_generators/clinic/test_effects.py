"""Effects change the right columns of the right patients by the right amount, nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from calmops.data_generators.clinic import generate_cohort

BASE = {
    "patients": 2000,
    "genes": {"count": 12},
    "proteins": {"count": 6},
    "subgroups": [{"name": "a", "share": 0.4}, {"name": "b", "remainder": True}],
}


def _with(effect: dict, subgroup: int = 0) -> dict:
    subgroups = [dict(s) for s in BASE["subgroups"]]
    subgroups[subgroup]["effects"] = ["e"]
    return {**BASE, "subgroups": subgroups, "effects": {"e": effect}}


@pytest.fixture(scope="module")
def plain():
    return generate_cohort(BASE, seed=9)


def _values(cohort) -> np.ndarray:
    return np.hstack(
        [cohort.genes.iloc[:, 2:].to_numpy(float), cohort.proteins.iloc[:, 2:].to_numpy(float)]
    )


@pytest.mark.parametrize(
    ("effect", "expected"),
    [
        ({"kind": "fold_change", "value": 3}, lambda x, m: np.rint(3 * x)),
        ({"kind": "additive_shift", "value": 25}, lambda x, m: np.rint(x + 25)),
        (
            {"kind": "variance_scale", "value": 2},
            lambda x, m: np.maximum(np.rint(m + 2 * (x - m)), 0),
        ),
        ({"kind": "power", "value": 0.5}, lambda x, m: np.rint(np.sqrt(x))),
        ({"kind": "log", "value": 1}, lambda x, m: np.rint(np.log(x + 1))),
        (
            {"kind": "sigmoid", "k": 0.1, "x0": 50, "scale": 100},
            lambda x, m: np.rint(100 / (1 + np.exp(-0.1 * (x - 50)))),
        ),
    ],
)
def test_each_effect_on_counts_hits_only_its_patients_and_genes(plain, effect, expected):
    cohort = generate_cohort(_with({**effect, "columns": ["G_2..G_4"]}), seed=9)
    before, after = _values(plain), _values(cohort)
    in_a = (plain.clinical["subgroup"] == "a").to_numpy()
    mean = np.array(plain.parameters["gene_mean"])[2:5]
    assert after[np.ix_(in_a, [2, 3, 4])] == pytest.approx(
        expected(before[np.ix_(in_a, [2, 3, 4])], mean), abs=1.0001
    )
    untouched = np.ones_like(after, dtype=bool)
    untouched[np.ix_(in_a, [2, 3, 4])] = False
    assert np.array_equal(after[untouched], before[untouched])


def test_fold_change_on_proteins_is_exact_and_shifts_the_subgroup_mean(plain):
    cohort = generate_cohort(
        _with({"kind": "fold_change", "columns": ["P_1"], "value": 2}, 1), seed=9
    )
    in_b = (plain.clinical["subgroup"] == "b").to_numpy()
    before, after = plain.proteins["P_1"].to_numpy(), cohort.proteins["P_1"].to_numpy()
    assert after[in_b] == pytest.approx(2 * before[in_b], rel=1e-6)
    assert np.array_equal(after[~in_b], before[~in_b])
    ratio = after[in_b].mean() / after[~in_b].mean()
    assert ratio == pytest.approx(2, rel=0.1)


def test_a_target_from_weighted_z_scores_is_thresholded():
    spec = {
        **BASE,
        "patients": 20000,
        "target": {"name": "y", "weights": {"disease": 2.0, "G_0": 1.0}, "noise_sd": 0.0},
    }
    cohort = generate_cohort(spec, seed=3)
    table = cohort.wide()
    disease = (table["group"] == "disease").to_numpy(float)
    g0 = table["G_0"].to_numpy(float)
    z = lambda v: (v - v.mean()) / v.std()  # noqa: E731
    assert table["y"].to_numpy() == pytest.approx(2 * z(disease) + z(g0))
    thresholded = generate_cohort(
        {**spec, "target": {**spec["target"], "threshold": 0.0, "noise_sd": 0.5}}, seed=3
    ).clinical["y"]
    assert set(thresholded.unique()) == {0, 1}
    assert thresholded[disease == 1].mean() > 0.9 > 0.1 > thresholded[disease == 0].mean()
