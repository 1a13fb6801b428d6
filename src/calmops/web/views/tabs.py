"""Every tab builder by name, each called as ``build(reader, name, base=...)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from calmops.web.reader import Reader
from calmops.web.views import TABS

__all__ = ["build_tab"]

_BUILDERS = {name: (f"calmops.web.views.{name}", f"build_{name}") for name, _, _ in TABS}


def build_tab(reader: Reader, tab: str, name: str, *, base: str = "", **params: Any) -> dict:
    """The dict of tab ``tab`` of pipeline ``name`` (KeyError for an unknown tab)."""
    module, function = _BUILDERS[tab]
    builder: Callable[..., dict] = getattr(importlib.import_module(module), function)
    return builder(reader, name, base=base, **params)
