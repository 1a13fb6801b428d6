"""Every file the package needs at run time ships in a non-editable install."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "calmops"


def test_every_data_file_is_declared_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["calmops"]
    data_files = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert data_files, "the package has templates and static files"
    missing = [f for f in data_files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert missing == [], f"add these to [tool.setuptools.package-data]: {missing}"


def test_the_console_script_points_at_the_cli() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["scripts"]["calmops"] == "calmops.cli.main:main"
    assert config["project"]["requires-python"] == ">=3.11"


def test_the_version_is_written_in_one_place() -> None:
    import importlib.metadata
    import re

    import calmops

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in config["project"]
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "calmops.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", calmops.__version__)
    assert importlib.metadata.version("calmops") == calmops.__version__


def test_the_changelog_names_the_current_version() -> None:
    import calmops

    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog")
    assert "## [Unreleased]" in text
    assert f"## [{calmops.__version__}]" in text
