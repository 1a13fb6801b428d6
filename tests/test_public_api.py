"""Every name a package exports in ``__all__`` resolves (STYLE.md rule 15)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import calmops


def _packages() -> list[str]:
    found = ["calmops"]
    for module in pkgutil.walk_packages(calmops.__path__, prefix="calmops."):
        if module.ispkg and ".migrations" not in module.name:
            found.append(module.name)
    return found


@pytest.mark.parametrize("name", _packages())
def test_exported_names_resolve(name: str) -> None:
    module = importlib.import_module(name)
    for exported in getattr(module, "__all__", []):
        assert getattr(module, exported) is not None, f"{name}.{exported}"


def test_lazy_top_level_names() -> None:
    from calmops.io import read_table
    from calmops.spec import PipelineSpec

    assert calmops.read_table is read_table
    assert calmops.PipelineSpec is PipelineSpec
    with pytest.raises(AttributeError):
        calmops.no_such_name  # noqa: B018


def test_dir_shows_the_public_api_only() -> None:
    assert dir(calmops) == sorted(calmops.__all__)
    assert {"open", "Workspace", "Pipeline", "Run", "Model", "RunReport", "DriftReport"} <= set(
        dir(calmops)
    )
    assert not [name for name in dir(calmops) if name.startswith("_") and name != "__version__"]
    assert "importlib" not in dir(calmops) and "Any" not in dir(calmops)


def test_the_api_names_are_the_api_classes() -> None:
    from calmops.api import Pipeline, Workspace, open_workspace
    from calmops.drift import Profile

    assert calmops.Workspace is Workspace and calmops.Pipeline is Pipeline
    assert calmops.open is open_workspace
    assert calmops.Profile is Profile  # one Profile: the drift reference


def test_import_calmops_loads_no_heavy_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, calmops; calmops.__version__; "
        "print(sorted(m for m in ('pandas', 'numpy', 'sklearn', 'sqlalchemy', 'calmops.api') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
