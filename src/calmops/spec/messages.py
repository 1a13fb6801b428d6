"""Validation errors as one line per problem: ``field.path: what is wrong``."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["format_validation_error"]

# a validator message that starts with its own field path ("data.block_column is required...")
_NAMES_ITS_FIELD = re.compile(r"^[a-z_]+(\.[a-z_]+)*(:| is required)")


def format_validation_error(error: ValidationError, model: type[BaseModel]) -> str:
    """One line per problem, ``field.path: what is wrong``, joined with ``; ``."""
    return "; ".join(_describe(item, model) for item in error.errors())


def _describe(item: dict[str, Any], model: type[BaseModel]) -> str:
    loc = [str(part) for part in item["loc"]]
    where = ".".join(loc) if loc else "spec"
    kind = item["type"]
    given = item.get("input")
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", item["ctx"]["expected"])
        return f"{where}: must be one of {', '.join(allowed)} (got {given!r})"
    if kind == "missing":
        return f"{where}: is required"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return f"{where}: unknown field (allowed: {', '.join(allowed)})"
    if kind in ("value_error", "assertion_error"):
        message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if _NAMES_ITS_FIELD.match(message):
            return message.replace(" is required", ": is required", 1)
        return f"{where}: {message}"
    message = item["msg"][0].lower() + item["msg"][1:]
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{where}: {message} (got {given!r})"
    return f"{where}: {message}"


def _fields_at(model: type[BaseModel], loc: list[str]) -> list[str]:
    for key in loc:
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        annotation = fields[key].annotation if key in fields else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return [field.alias or name for name, field in model.model_fields.items()]
