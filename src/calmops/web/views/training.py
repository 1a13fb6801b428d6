"""stub"""

from __future__ import annotations

from typing import Any

from calmops.web.reader import Reader
from calmops.web.sections import notice, tab

__all__ = ["build_training"]


def build_training(reader: Reader, name: str, *, base: str = "", **_: Any) -> dict[str, Any]:
    reader.pipeline(name)
    return tab("training", "training", [notice("training-empty", "todo")])
