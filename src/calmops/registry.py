"""A registry of named things (drift tests, detectors, generators, strategies), filled
explicitly.

The package ``__init__`` registers every built-in; an unknown name raises
:class:`~calmops.errors.RegistryError` listing the valid names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from calmops.errors import RegistryError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names to items; ``what`` names the kind of item in error messages.

    Examples
    --------
    >>> colours = Registry("colour")
    >>> colours.register("red", "#f00")
    >>> colours.get("red")
    '#f00'
    >>> colours.get("blue")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no colour 'blue'; choose from red
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self._items: dict[str, T] = {}

    def register(self, name: str, item: T) -> None:
        """Add ``item`` under ``name`` (a name can be registered once)."""
        if name in self._items:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._items[name] = item

    def get(self, name: str) -> T:
        """The item registered as ``name``."""
        try:
            return self._items[name]
        except KeyError:
            choices = ", ".join(self.names())
            raise RegistryError(f"no {self.what} {name!r}; choose from {choices}") from None

    def names(self) -> tuple[str, ...]:
        """Every registered name, sorted."""
        return tuple(sorted(self._items))

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items)
