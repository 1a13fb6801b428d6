"""CalmOps keeps machine-learning models healthy after they ship.

Open a workspace, create a pipeline, run it, read what it decided:

>>> import tempfile, calmops
>>> ws = calmops.open(tempfile.mkdtemp())
>>> pipe = ws.create({"name": "demo", "data": {"dir": "in", "target": "y"}},
...                  base_dir=ws.home)
>>> pipe.runs()
[]

The public API is ``__all__`` (what ``dir(calmops)`` shows). Names are imported on first
use, so ``import calmops`` (and the CLI's start-up) stays fast; ``_LAZY`` says where each
lives. The version is defined here only; ``pyproject.toml`` reads it from this file.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> "module" that defines it, or "module:attribute" when named otherwise there
_LAZY: dict[str, str] = {
    "CalmopsError": "calmops.errors",
    "DriftReport": "calmops.drift",
    "IPIPClassifier": "calmops.models.ipip",
    "Model": "calmops.api",
    "Pipeline": "calmops.api",
    "PipelineSpec": "calmops.spec",
    "Profile": "calmops.drift",
    "Run": "calmops.api",
    "RunReport": "calmops.pipeline.report",
    "Settings": "calmops.settings",
    "Workspace": "calmops.api",
    "compare": "calmops.drift",
    "get_settings": "calmops.settings",
    "open": "calmops.api:open_workspace",
    "read_table": "calmops.io",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'calmops' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
