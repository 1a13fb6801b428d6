"""scripts/clinic_demo.py: a subgroup that shifts at visit 3 is found there, and not before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).parents[3] / "scripts" / "clinic_demo.py"


@pytest.mark.slow
def test_the_pipeline_finds_the_shift_at_visit_3_and_not_before(tmp_path):
    result = subprocess.run(
        [sys.executable, str(DEMO), "--check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    assert summary["truth_visit"] == 3
    assert summary["found"] == {"1": False, "2": False, "3": True}
