"""``decision.metric: custom`` needs a hooks file that defines ``metric`` and its direction.

Checked when a spec is validated (``calmops validate``, ``create``, ``update``), by reading
the hooks file's top-level names with ``ast``: the user's code is not run before the first
batch.
"""

from __future__ import annotations

import ast
from typing import Any

from calmops.errors import SpecError

__all__ = ["check_custom_metric"]

CUSTOM = "custom"
DIRECTION = "METRIC_HIGHER_IS_BETTER"


def check_custom_metric(spec: Any) -> None:
    """A SpecError when ``custom`` is named (decision.metric or promotion.thresholds) and
    the hooks file is missing or lacks ``def metric`` or ``METRIC_HIGHER_IS_BETTER``."""
    where = [
        field
        for field, named in (
            ("decision.metric", spec.decision.metric == CUSTOM),
            ("promotion.thresholds", CUSTOM in spec.promotion.thresholds),
        )
        if named
    ]
    if not where:
        return
    needed = f"a hooks file defining metric(y_true, y_pred, proba) and {DIRECTION} = True/False"
    if spec.hooks is None:
        raise SpecError(f"{where[0]}: 'custom' needs {needed} (set `hooks:`)")
    try:
        tree = ast.parse(spec.hooks.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"hooks: no such file {spec.hooks}") from None
    except (OSError, SyntaxError, UnicodeDecodeError) as error:
        raise SpecError(f"hooks: {spec.hooks.name} cannot be read ({error})") from None
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    missing = [n for n in ("metric", DIRECTION) if n not in names]
    if missing:
        raise SpecError(
            f"{where[0]}: 'custom' needs {needed}; {spec.hooks.name} does not define "
            f"{' or '.join(missing)}"
        )
