"""The registries of this package; ``calmops.data_generators`` fills them explicitly."""

from __future__ import annotations

from typing import Any

from calmops.registry import Registry

__all__ = ["GENERATORS", "OPERATIONS", "PROFILES"]

GENERATORS: Registry[Any] = Registry("generator")
"""Stream generator classes by name (``sea``, ``agrawal``, ...)."""

OPERATIONS: Registry[Any] = Registry("operation")
"""Injection operations by name (``shift``, ``label_flip``, ``mcar``, ...)."""

PROFILES: Registry[Any] = Registry("profile")
"""Injection profiles by name (``step``, ``linear``, ``sigmoid``, ``cosine``, ``recurrent``)."""
