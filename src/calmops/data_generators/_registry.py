"""A registry of named things (generators, operations), filled explicitly in ``__init__``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from calmops.errors import RegistryError, SpecError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names to objects; an unknown name raises :class:`RegistryError` listing the choices.

    Examples
    --------
    >>> colours = Registry("colour")
    >>> colours.add("red", 1)
    >>> colours.get("blue")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no colour 'blue'; choose from red
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> None:
        """Register ``item`` under ``name`` (a name can be registered once)."""
        if name in self._items:
            raise SpecError(f"{self.kind} '{name}' is already registered")
        self._items[name] = item

    def get(self, name: str) -> T:
        """The item registered as ``name``."""
        try:
            return self._items[name]
        except KeyError:
            raise RegistryError(
                f"no {self.kind} '{name}'; choose from {', '.join(sorted(self._items))}"
            ) from None

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items)
