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
