"""The spec reference (``docs/pipeline-spec.md``), generated from the field descriptions."""

from __future__ import annotations

from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from calmops.spec.registered import RegistryName

__all__ = ["reference_markdown"]


def reference_markdown() -> str:
    """A Markdown table of every spec field with its type, default and meaning."""
    lines = [
        "# Pipeline spec reference",
        "",
        "Generated from `calmops.spec` (`python -m calmops.spec > docs/pipeline-spec.md`).",
        "Fields marked *required* have no default.",
        "",
        "| field | type | default | meaning |",
        "|---|---|---|---|",
    ]
    from calmops.spec.pipeline import PipelineSpec

    lines += _reference_rows(PipelineSpec, "")
    return "\n".join(lines) + "\n"


def _reference_rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.append(f"| `{key}` | section | | {field.description} |")
            rows += _reference_rows(annotation, key + ".")
            continue
        if field.is_required():
            default = "*required*"
        else:
            value = field.get_default(call_default_factory=True)
            default = f"`{yaml.safe_dump(_plain(value), default_flow_style=True).strip()}`"
            default = default.removesuffix("\n...").replace("\n...", "")
        shown = _shown_type(field).replace("|", "\\|")
        rows.append(f"| `{key}` | {shown} | {default} | {field.description} |")
    return rows


def _shown_type(field: FieldInfo) -> str:
    """The field's type; for a registered name, the registry's names (read from it)."""
    rule = next((m for m in field.metadata if isinstance(m, RegistryName)), None)
    if rule is None:
        return _type_name(field.annotation)
    shown = " / ".join(rule.choices())
    return shown + (" or null" if type(None) in get_args(field.annotation) else "")


def _type_name(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " / ".join(str(arg) for arg in args)
    if origin in (Union, UnionType):
        shown = " or ".join(_type_name(arg) for arg in args if arg is not type(None))
        return shown + (" or null" if type(None) in args else "")
    if origin is not None:
        return f"{origin.__name__}[{', '.join(_type_name(a) for a in args if a is not ...)}]"
    return "path" if annotation is Path else getattr(annotation, "__name__", str(annotation))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    return value
