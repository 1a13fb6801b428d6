"""The pipeline spec: the YAML contract that defines one pipeline.

A spec is validated with pydantic; every field but ``name`` and ``data.dir`` has a documented
default (see ``docs/pipeline-spec.md``, generated from the descriptions below by
:func:`reference_markdown`). Errors name the field path and what is allowed::

    kind: must be one of stream, block, ipip (got 'streem')

Examples
--------
>>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "/data/in", "target": "label"}})
>>> spec.kind, spec.trigger.type, spec.model.class_name, spec.retrain.strategy
('stream', 'manual', 'sklearn.linear_model.LogisticRegression', 'full')
>>> spec.with_changes({"retrain.strategy": "window"}).retrain.strategy
'window'
"""

from __future__ import annotations

import re
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from calmops.errors import InvalidNameError, SpecError

__all__ = [
    "NAME_PATTERN",
    "DataSpec",
    "ModelSpec",
    "PipelineSpec",
    "RetrainSpec",
    "TriggerSpec",
    "reference_markdown",
    "validate_name",
]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DEFAULT_PATTERNS = ("*.csv", "*.tsv", "*.txt", "*.parquet", "*.json", "*.jsonl", "*.arff", "*.xlsx")
_INTERVAL = re.compile(r"^\d+(\.\d+)?(ms|s|m|h|d)$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


def validate_name(name: str) -> str:
    """Return ``name`` if it is a valid pipeline name, else raise :class:`InvalidNameError`.

    Examples
    --------
    >>> validate_name("churn-v2.eu")
    'churn-v2.eu'
    >>> validate_name("../x")
    Traceback (most recent call last):
    ...
    calmops.errors.InvalidNameError: invalid pipeline name '../x': ...
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        shown = name if isinstance(name, str) else type(name).__name__
        reason = (
            "it is empty"
            if shown == ""
            else (
                "it is longer than 64 characters"
                if len(str(shown)) > 64
                else "use letters, digits, '_', '.' and '-', starting with a letter or digit"
            )
        )
        raise InvalidNameError(f"invalid pipeline name '{shown}': {reason}")
    return name


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class DataSpec(_Section):
    """Where batches come from and which column is the label."""

    dir: Path = Field(description="Folder new data files arrive in (required).")
    target: str | None = Field(
        None, description="Label column; without it batches are only scored and checked for drift."
    )
    block_column: str | None = Field(
        None, description="Column that splits a file into blocks (required by kind block)."
    )
    patterns: tuple[str, ...] = Field(
        DEFAULT_PATTERNS, description="File name patterns that count as data files."
    )
    recursive: bool = Field(False, description="Also look in sub-folders of `dir`.")


class TriggerSpec(_Section):
    """What makes the pipeline run a batch."""

    type: Literal["manual", "watch", "schedule"] = Field(
        "manual", description="manual (`calmops run`), watch (new files) or schedule."
    )
    schedule: str | None = Field(
        None, description='Cron string ("*/10 * * * *") or interval ("30s", "10m", "1h").'
    )
    timezone: str = Field("UTC", description="Time zone of cron schedules.")
    settle_ms: int = Field(
        1000, ge=0, description="A watched file must keep its size and mtime this long."
    )
    polling: bool = Field(False, description="Poll the folder instead of OS events.")
    run_at_start: bool = Field(False, description="Run once when the monitor starts.")

    @field_validator("schedule")
    @classmethod
    def _schedule_format(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.strip()
        fields = value.split()
        if _INTERVAL.match(value) or (
            len(fields) == 5 and all(_CRON_FIELD.match(field) for field in fields)
        ):
            return value
        raise ValueError(
            f'must be a cron string like "*/10 * * * *" or an interval like "30s", "10m", '
            f'"1h" (got {value!r})'
        )

    @model_validator(mode="after")
    def _schedule_needed(self) -> TriggerSpec:
        if self.type == "schedule" and not self.schedule:
            raise ValueError("trigger.schedule is required when trigger.type is schedule")
        return self


class ModelSpec(_Section):
    """The estimator a pipeline trains."""

    class_name: str = Field(
        "sklearn.linear_model.LogisticRegression",
        alias="class",
        description="Dotted path of a scikit-learn compatible estimator class.",
    )
    params: dict[str, Any] = Field(
        default_factory=dict, description="Keyword arguments of the estimator."
    )
    task: Literal["auto", "classification", "regression"] = Field(
        "auto", description="auto infers it from the estimator and the target."
    )

    @field_validator("class_name")
    @classmethod
    def _dotted(cls, value: str) -> str:
        if not re.match(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$", value):
            raise ValueError(
                f"must be a dotted class path like sklearn.linear_model.LogisticRegression "
                f"(got {value!r})"
            )
        return value


RetrainStrategyName = Literal[
    "full", "window", "incremental", "replay", "ensemble", "stacking", "recalibration"
]


class RetrainSpec(_Section):
    """How a challenger is trained when the pipeline decides to retrain."""

    strategy: RetrainStrategyName = Field("full", description="Retraining strategy.")
    window_rows: int | None = Field(
        None, gt=0, description="Rows of recent data the window and replay strategies keep."
    )
    fallback: RetrainStrategyName | None = Field(
        None, description="Strategy to try when the first one fails."
    )


class PipelineSpec(_Section):
    """One pipeline: its data, trigger, model and retraining policy."""

    name: str = Field(description="Pipeline name (required): ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$.")
    kind: Literal["stream", "block", "ipip"] = Field(
        "stream", description="stream (file = batch), block (blocks in a file) or ipip."
    )
    description: str = Field("", description="Free text shown in listings.")
    data: DataSpec = Field(description="Where the data comes from (required).")
    trigger: TriggerSpec = Field(default_factory=TriggerSpec, description="When batches run.")
    model: ModelSpec = Field(default_factory=ModelSpec, description="What is trained.")
    retrain: RetrainSpec = Field(default_factory=RetrainSpec, description="How it is retrained.")
    hooks: Path | None = Field(
        None, description="Python file with optional preprocess/train/retrain functions."
    )
    seed: int = Field(0, description="Seed of every random choice the pipeline makes.")

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        try:
            return validate_name(value)
        except InvalidNameError as error:
            raise ValueError(str(error).split(": ", 1)[1]) from None

    @model_validator(mode="after")
    def _kind_needs(self) -> PipelineSpec:
        if self.kind in ("block", "ipip") and not self.data.block_column:
            raise ValueError(f"data.block_column is required when kind is {self.kind}")
        if self.kind == "ipip" and self.data.target is None:
            raise ValueError("data.target is required when kind is ipip")
        return self

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any, *, base_dir: Path | None = None) -> PipelineSpec:
        """Validate ``data``; relative paths are taken from ``base_dir`` (default: cwd)."""
        if not isinstance(data, dict):
            raise SpecError(f"a spec must be a mapping of fields (got {type(data).__name__})")
        try:
            spec = cls.model_validate(data)
        except ValidationError as error:
            raise SpecError(format_validation_error(error, cls)) from None
        return spec._resolved(base_dir or Path.cwd())

    @classmethod
    def from_yaml(cls, path: str | Path) -> PipelineSpec:
        """Read and validate a YAML spec file; relative paths are taken from its folder."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SpecError(f"{path}: cannot be read ({error})") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise SpecError(f"{path}: invalid YAML{where}") from None
        try:
            return cls.from_dict(data, base_dir=path.parent.absolute())
        except SpecError as error:
            raise SpecError(f"{path}: {error}") from None

    def _resolved(self, base_dir: Path) -> PipelineSpec:
        data = self.data.model_copy(update={"dir": _absolute(self.data.dir, base_dir)})
        hooks = _absolute(self.hooks, base_dir) if self.hooks else None
        return self.model_copy(update={"data": data, "hooks": hooks})

    # ---- output and change --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data (the YAML written to ``config/pipeline.yaml``)."""
        return self.model_dump(mode="json", by_alias=True)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def with_changes(self, changes: dict[str, Any]) -> PipelineSpec:
        """A new spec with ``{"dotted.path": value}`` changes applied and validated again."""
        data = self.to_dict()
        for dotted, value in changes.items():
            _assign(data, dotted, value)
        if data.get("name") != self.name:
            raise SpecError(f"name: cannot be changed (it is '{self.name}')")
        return PipelineSpec.from_dict(data)


def _absolute(path: Path, base_dir: Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else (base_dir / path).absolute()


def _assign(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    if not all(keys):
        raise SpecError(f"'{dotted}' is not a field path like retrain.strategy")
    node = data
    for depth, key in enumerate(keys[:-1]):
        child = node.get(key)
        if child is None and key == "params":
            child = node[key] = {}
        if not isinstance(child, dict):
            where = ".".join(keys[: depth + 1])
            raise SpecError(f"{where}: is not a section, so '{dotted}' cannot be set")
        node = child
    node[keys[-1]] = value


# ---- error messages ---------------------------------------------------------------------


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
        if message.startswith(("data.", "trigger.", "model.", "retrain.")):
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


# ---- documentation ----------------------------------------------------------------------


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
        shown = _type_name(annotation).replace("|", "\\|")
        rows.append(f"| `{key}` | {shown} | {default} | {field.description} |")
    return rows


def _type_name(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " / ".join(str(arg) for arg in args)
    if origin in (Union, UnionType):
        return " or ".join(_type_name(arg) for arg in args if arg is not type(None)) + " or null"
    if origin is not None:
        return f"{origin.__name__}[{', '.join(_type_name(a) for a in args if a is not ...)}]"
    return "path" if annotation is Path else getattr(annotation, "__name__", str(annotation))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    return value


if __name__ == "__main__":
    print(reference_markdown(), end="")
