"""What is available: every generator, operation, profile and synthesizer with its parameters.

Built from the registries by introspection (dataclass fields of generators, keyword-only
parameters of operations, constructor parameters of synthesizers), so a newly registered name
shows up with nothing else to edit.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from calmops.data_generators.inject.base import INTERNAL_PARAMETERS
from calmops.data_generators.inject.registry import OPERATIONS, PROFILES
from calmops.data_generators.record import plain
from calmops.data_generators.registry import GENERATORS

__all__ = ["catalog"]


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0].replace("``", "") if doc else ""


def _generator_parameters(cls: Any) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "default": plain(f.default)}
        for f in dataclasses.fields(cls)
        if f.default is not dataclasses.MISSING
    ]


def _operation_parameters(function: Any) -> list[dict[str, Any]]:
    out = []
    for p in inspect.signature(function).parameters.values():
        if p.kind is p.KEYWORD_ONLY and p.name not in INTERNAL_PARAMETERS:
            default = None if p.default is inspect.Parameter.empty else p.default
            out.append({"name": p.name, "default": plain(default)})
    return out


def _constructor_parameters(cls: Any) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "default": plain(None if p.default is p.empty else p.default)}
        for p in inspect.signature(cls).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def _synthesizers() -> list[dict[str, Any]]:
    from calmops.data_generators.synth import DEFAULT_SYNTHESIZER, SYNTHESIZERS

    return [
        {
            "name": name,
            "default": name == DEFAULT_SYNTHESIZER,
            "description": _first_line(cls.__doc__),
            "parameters": _constructor_parameters(cls),
        }
        for name, cls in SYNTHESIZERS.items()
    ]


def catalog() -> dict[str, list[dict[str, Any]]]:
    """Generators, operations, profiles and synthesizers, each with its parameters.

    Examples
    --------
    >>> listing = catalog()
    >>> sea = next(g for g in listing["generators"] if g["name"] == "sea")
    >>> sea["task"], [p["name"] for p in sea["parameters"]]
    ('binary', ['variant', 'noise'])
    >>> cart = next(s for s in listing["synthesizers"] if s["name"] == "cart")
    >>> cart["default"], [p["name"] for p in cart["parameters"]]
    (True, ['visit_order', 'min_samples_leaf', 'smoothing', 'n_jobs', 'redraw_uniques'])
    """
    return {
        "generators": [
            {
                "name": name,
                "task": GENERATORS.get(name).task,
                "description": _first_line(GENERATORS.get(name).__doc__),
                "parameters": _generator_parameters(GENERATORS.get(name)),
            }
            for name in GENERATORS.names()
        ],
        "operations": [
            {
                "name": name,
                "kind": OPERATIONS.get(name).kind,
                "description": _first_line(OPERATIONS.get(name).doc),
                "parameters": _operation_parameters(OPERATIONS.get(name).apply),
            }
            for name in OPERATIONS.names()
        ],
        "profiles": [
            {
                "name": name,
                "description": _first_line(PROFILES.get(name).__doc__),
                "parameters": _generator_parameters(PROFILES.get(name)),
            }
            for name in PROFILES.names()
        ],
        "synthesizers": _synthesizers(),
    }
