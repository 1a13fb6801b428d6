"""The package: public names resolve, heavy optional imports stay lazy, modules stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import calmops.drift
import calmops.drift.streaming

SRC = Path(calmops.drift.__file__).parent


@pytest.mark.parametrize("package", [calmops.drift, calmops.drift.streaming])
def test_every_exported_name_resolves(package):
    for name in package.__all__:
        assert getattr(package, name) is not None, name


def test_import_does_not_load_sklearn_plotly_or_the_cli():
    code = (
        "import sys, calmops.drift, calmops.drift.streaming; "
        "print(sorted(m for m in ('sklearn', 'plotly', 'typer', 'sqlalchemy', 'calmops.cli') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= 500
