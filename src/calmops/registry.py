"""A registry of named things (drift tests, detectors, strategies, kinds, triggers, metrics,
generators), filled explicitly.

Every extension point of CalmOps is found by name in one :class:`Registry`. Each item carries
its own ``name`` (an instance attribute, or a class attribute for registries of classes), so
a name is written once, in the item's own module; the package ``__init__`` (or the package's
``registry.py`` when modules of the package look names up themselves) registers every
built-in with one line each. An unknown name raises :class:`~calmops.errors.RegistryError`
listing the valid names, with a suggestion when one is close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from calmops.errors import RegistryError

__all__ = ["Registry", "unknown_name"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Items by their ``name``; ``what`` names the kind of item in error messages.

    Examples
    --------
    >>> class Red:
    ...     name = "red"
    >>> colours = Registry("colour", [Red])
    >>> colours.get("red") is Red, colours.names(), "red" in colours
    (True, ('red',), True)
    >>> @colours.register
    ... class Green:
    ...     name = "green"
    >>> list(colours)
    ['green', 'red']
    >>> colours.get("gren")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no colour 'gren'; choose from green, red; did you mean 'green'?
    """

    def __init__(self, what: str, items: Iterable[T] = ()) -> None:
        self.what = what
        self._items: dict[str, T] = {}
        for item in items:
            self.register(item)

    def register(self, item: T) -> T:
        """Add ``item`` under its ``name`` and return it (so it also works as a decorator)."""
        name = getattr(item, "name", None)
        if not isinstance(name, str) or not name:
            raise TypeError(f"a {self.what} needs a non-empty string `name` (got {item!r})")
        if name in self._items:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        """The item registered as ``name``; else a RegistryError with the choices."""
        try:
            return self._items[name]
        except (KeyError, TypeError):
            raise RegistryError(unknown_name(self.what, name, self.names())) from None

    def check(self, name: str) -> str:
        """``name`` if it is registered, else the RegistryError :meth:`get` raises."""
        self.get(name)
        return name

    def names(self) -> tuple[str, ...]:
        """Every registered name, sorted."""
        return tuple(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        """``(name, item)`` pairs, sorted by name."""
        return [(name, self._items[name]) for name in self.names()]

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.what!r}: {', '.join(self.names())})"


def unknown_name(what: str, name: object, choices: Iterable[str]) -> str:
    """The one-line message for an unknown name: the choices, and the closest one if any.

    Examples
    --------
    >>> unknown_name("retrain strategy", "ful", ["full", "window"])
    "no retrain strategy 'ful'; choose from full, window; did you mean 'full'?"
    >>> unknown_name("metric", "f2score", ["accuracy", "rmse"])
    "no metric 'f2score'; choose from accuracy, rmse"
    """
    choices = list(choices)
    message = f"no {what} {name!r}; choose from {', '.join(choices)}"
    if isinstance(name, str):
        close = difflib.get_close_matches(name.lower(), choices, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
    return message
