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
    "performance": (*EDGES, "calmops.store", "calmops.pipeline"),
    "privacy": (*EDGES, "calmops.store", "calmops.pipeline", "calmops.models"),
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


# ---- import cycles, including imports inside functions ------------------------------------

# cycles tolerated while being removed (none left: cli/runs no longer imports cli/serve back)
KNOWN_CYCLES: set[frozenset[str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in SRC.rglob("*.py")}


def _imported(name: str, path: Path) -> set[str]:
    """The calmops modules ``name`` imports anywhere in its file (functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from package import module` imports the module; any other name, the package
            candidates = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in MODULES:  # a name inside a module
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _top(name: str) -> str:
    return ".".join(name.split(".")[:2])


def test_no_module_imports_another_that_imports_it_back() -> None:
    cycles = [c for c in _cycles(GRAPH) if frozenset(c) not in KNOWN_CYCLES]
    assert cycles == []


def test_no_package_imports_another_that_imports_it_back() -> None:
    packages: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        packages.setdefault(_top(name), set()).update(
            _top(t) for t in targets if _top(t) != _top(name)
        )
    assert _cycles(packages) == []


def test_server_and_web_never_import_each_other() -> None:
    crossing = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if {_top(name), _top(target)} == {"calmops.server", "calmops.web"}
    ]
    assert crossing == []


def test_the_cycle_checker_sees_imports_inside_functions() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "calmops.pipeline.kinds" in GRAPH["calmops.pipeline.single_run"]
    # cli/ui.py imports the dashboards only inside its command
    assert "calmops.web.app" in GRAPH["calmops.cli.ui"]
