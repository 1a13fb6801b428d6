"""CalmOps keeps machine-learning models healthy after they ship.

The public API is listed in ``__all__``. Names are imported on first use, so
``import calmops`` (and the CLI's start-up) stays fast; see ``_LAZY`` for where each lives.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "CalmopsError": "calmops.errors",
    "IPIPClassifier": "calmops.models.ipip",
    "PipelineSpec": "calmops.spec",
    "Settings": "calmops.settings",
    "get_settings": "calmops.settings",
    "Workspace": "calmops.workspace",
    "read_table": "calmops.io",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'calmops' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
