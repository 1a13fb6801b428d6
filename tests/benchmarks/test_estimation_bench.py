"""``benchmarks/estimation_bench.py`` without NannyML on one generated and one real workload."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_estimation_bench_runs_and_follows_a_covariate_shift(tmp_path):
    import estimation_bench

    out = tmp_path / "rows.json"
    code = estimation_bench.main(
        ["--workloads", "covariate-binary,phishing", "--no-nannyml", "--json", str(out)]
    )
    assert code == 0
    rows = {r["workload"]: r for r in json.loads(out.read_text())}
    assert rows["covariate-binary"]["accuracy_ours_mae"] < 0.03
    assert "accuracy_nannyml_mae" not in rows["phishing"]
