"""Dependencies point inward: the pure core never imports an edge (STYLE.md rule 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "calmops"
EDGES = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "typer",
    "click",
    "rich",
    "calmops.cli",
    "calmops.server",
    "calmops.web",
    "calmops.monitor",
    "calmops.store.sql",
)
# statistics and generators are pure; the model core may use the store's interface
FORBIDDEN = {
    "drift": (*EDGES, "calmops.store", "calmops.pipeline", "calmops.models"),
    "data_generators": (*EDGES, "calmops.store", "calmops.pipeline", "calmops.models"),
    "models": (*EDGES, "calmops.pipeline"),
    "pipeline": EDGES,
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_the_core_imports_no_edge(package: str) -> None:
    offenders = []
    for path in sorted((SRC / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_the_checker_sees_imports() -> None:
    assert "calmops.store" in _imports(SRC / "workspace.py")
