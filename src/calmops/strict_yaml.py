"""YAML read strictly: a key given twice in one mapping is an error, not "the last one wins".

PyYAML's ``safe_load`` silently keeps the last of two equal keys, so a spec that sets
``threshold`` twice runs with a value its author may not have meant. :func:`load_yaml`
refuses it and names the key and both lines.

Examples
--------
>>> load_yaml("a: 1\\nb: {c: 2}\\n")
{'a': 1, 'b': {'c': 2}}
>>> load_yaml("a: 1\\nb: 2\\na: 3\\n")
Traceback (most recent call last):
...
calmops.strict_yaml.DuplicateKeyError: key 'a' appears twice in one mapping (lines 1 and 3)
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["DuplicateKeyError", "load_yaml"]


class DuplicateKeyError(yaml.YAMLError):
    """A mapping that gives the same key twice (a kind of invalid YAML)."""

    def __init__(self, key: object, first_line: int, second_line: int) -> None:
        self.key = key
        self.problem_mark = None
        super().__init__(
            f"key {key!r} appears twice in one mapping (lines {first_line} and {second_line})"
        )


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing duplicate keys."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        try:
            if key in seen:
                raise DuplicateKeyError(key, seen[key], line)
        except TypeError:  # an unhashable key: let the base loader say so
            break
        seen[key] = line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str) -> Any:
    """Parse ``text`` like ``yaml.safe_load``, refusing a key given twice in one mapping."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
