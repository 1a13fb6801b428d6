"""Every tutorial of the documentation runs as a user runs it (its script, in a fresh folder,
calling the real ``calmops`` command line) and prints what its page says it shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from calmops.tutorials import list_tutorials

# a line each tutorial must print (beside its own checks, which exit non-zero on failure)
EXPECTED = {
    "first-pipeline": "decisions, batch by batch: train, no_drift, no_drift, no_drift, retrain",
    "real-table": "kept 143 labelled rows as training data",
    "blocks-and-ipip": "sites that drifted against the reference: site4",
    "serving": "Served traffic: 400 rows, labelled by feedback.",
    "drift-in-ci": "columns that drifted: ['x1']",
    "realistic-data": "batch_04.csv   1500-1999   drift    FIRED",
}


def test_every_tutorial_has_an_expected_line() -> None:
    assert sorted(EXPECTED) == sorted(t.name for t in list_tutorials())


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_tutorial_runs_and_shows_what_its_page_says(name: str, tmp_path: Path) -> None:
    script = next(t.script for t in list_tutorials() if t.name == name)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert EXPECTED[name] in done.stdout
    assert "tutorial ok:" in done.stdout
