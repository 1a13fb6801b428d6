"""The sections of a pipeline spec: data, trigger, model, retrain (one pydantic model each)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from calmops.spec.registered import RegistryName, checks_names

__all__ = ["ChunkSpec", "DataSpec", "ModelSpec", "StepSpec", "TriggerSpec"]

DEFAULT_PATTERNS = ("*.csv", "*.tsv", "*.txt", "*.parquet", "*.json", "*.jsonl", "*.arff", "*.xlsx")
_INTERVAL = re.compile(r"^\d+(\.\d+)?(ms|s|m|h|d)$")
_PERIOD = re.compile(r"^\d+(\.\d+)?\s*(s|min|h|D|W)$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @field_validator("*")
    @classmethod
    def _registered_names(cls, value: Any, info: ValidationInfo) -> Any:
        """Check fields annotated with a :class:`RegistryName` against their registry."""
        field = cls.model_fields[info.field_name]
        if value is None or value == field.default or not checks_names(info):
            return value
        for rule in field.metadata:
            if isinstance(rule, RegistryName):
                rule.check(value)
        return value


class ChunkSpec(_Section):
    """How data is cut into batches: by event time or by row count."""

    by: Literal["time", "rows"] = Field(description="time (needs data.time_column) or rows.")
    every: str | None = Field(
        None, description='by time: a fixed period like "30min", "1h", "1D", "7D" or "2W".'
    )
    size: int | None = Field(None, gt=0, description="by rows: rows per chunk.")

    @field_validator("every")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = re.sub(r"([dw])$", lambda unit: unit.group(1).upper(), value.strip())
        if not _PERIOD.match(value) or float(re.sub(r"[^\d.]", "", value)) <= 0:
            raise ValueError(
                f'must be a period like "30min", "1h", "1D", "7D" or "2W" (got {value!r})'
            )
        return value

    @model_validator(mode="after")
    def _by_needs(self) -> ChunkSpec:
        if self.by == "time" and (self.every is None or self.size is not None):
            raise ValueError('chunk by time takes `every` (a period like "7D"), not `size`')
        if self.by == "rows" and (self.size is None or self.every is not None):
            raise ValueError("chunk by rows takes `size` (rows per chunk), not `every`")
        return self


class DataSpec(_Section):
    """Where batches come from and which column is the label."""

    dir: Path = Field(description="Folder new data files arrive in (required).")
    target: str | None = Field(
        None, description="Label column; without it batches are only scored and checked for drift."
    )
    block_column: str | None = Field(
        None, description="Column that splits a file into blocks (required by kinds block, ipip)."
    )
    id_columns: tuple[str, ...] = Field(
        (),
        description="Identifier columns (customer, order...): never features nor drift-tested; "
        "they join feedback labels to predictions.",
    )
    time_column: str | None = Field(
        None,
        description="Event time column: never a feature; it orders the rows of a batch and "
        "cuts time chunks.",
    )
    exclude: tuple[str, ...] = Field(
        (), description="Columns ignored entirely: not features, not drift-tested."
    )
    chunk: ChunkSpec | None = Field(
        None,
        description='Cut data into batches: {by: time, every: "7D"} (needs time_column) or '
        "{by: rows, size: 10000}; each chunk is one run.",
    )
    patterns: tuple[str, ...] = Field(
        DEFAULT_PATTERNS, description="File name patterns that count as data files."
    )
    recursive: bool = Field(False, description="Also look in sub-folders of `dir`.")

    def role_columns(self) -> tuple[str, ...]:
        """Every column with a role other than feature: target, block, ids, time, excluded."""
        named = (self.target, self.block_column, *self.id_columns, self.time_column)
        return tuple(dict.fromkeys(c for c in (*named, *self.exclude) if c))

    @model_validator(mode="after")
    def _one_role_per_column(self) -> DataSpec:
        roles: dict[str, str] = {}
        for role, columns in (
            ("target", [self.target]),
            ("block_column", [self.block_column]),
            ("id_columns", self.id_columns),
            ("time_column", [self.time_column]),
            ("exclude", self.exclude),
        ):
            for column in columns:
                if column is None:
                    continue
                if column in roles:
                    raise ValueError(
                        f"column {column!r} is both data.{roles[column]} and data.{role}; "
                        "give each column one role"
                    )
                roles[column] = role
        if self.chunk is not None and self.chunk.by == "time" and not self.time_column:
            raise ValueError("data.chunk by time needs data.time_column (the event time)")
        return self


class TriggerSpec(_Section):
    """What makes the pipeline run a batch."""

    type: Annotated[str, RegistryName("calmops.monitor.triggers", "TRIGGERS")] = Field(
        "manual", description="manual (`calmops run`), watch (new files) or schedule."
    )
    schedule: str | None = Field(
        None, description='Cron string ("*/10 * * * *") or interval ("30s", "10m", "1h").'
    )
    timezone: str = Field(
        "UTC", description='IANA time zone of cron schedules ("UTC", "Europe/Madrid").'
    )
    settle_ms: int = Field(
        1000, ge=0, description="A watched file must keep its size and mtime this long."
    )
    polling: bool = Field(
        False, description="Poll the folder instead of OS events (network folders, containers)."
    )
    poll_seconds: float = Field(
        1.0,
        gt=0,
        le=3600,
        description="How often a polled folder is listed, and any watched folder is checked "
        "for being missing or unreadable.",
    )
    run_at_start: bool = Field(False, description="Run once when the monitor starts.")

    @field_validator("schedule")
    @classmethod
    def _schedule_format(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.strip()
        fields = value.split()
        if _INTERVAL.match(value):
            return value
        if len(fields) == 5 and all(_CRON_FIELD.match(field) for field in fields):
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value)
            except ValueError as error:
                raise ValueError(f"{value!r} is not a valid cron string: {error}") from None
            return value
        raise ValueError(
            f'must be a cron string like "*/10 * * * *" or an interval like "30s", "10m", '
            f'"1h" (got {value!r})'
        )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f'must be an IANA time zone like "UTC" or "Europe/Madrid" (got {value!r})'
            ) from None
        return value

    @model_validator(mode="after")
    def _schedule_needed(self) -> TriggerSpec:
        if self.type == "schedule" and not self.schedule:
            raise ValueError("trigger.schedule is required when trigger.type is schedule")
        return self


class StepSpec(_Section):
    """One step of a scikit-learn Pipeline given in full."""

    class_name: str = Field(alias="class", description="Dotted path of the step's class.")
    params: dict[str, Any] = Field(default_factory=dict, description="Its keyword arguments.")
    name: str | None = Field(None, description="Step name (default: the class name, lowercased).")


class ModelSpec(_Section):
    """The estimator a pipeline trains."""

    class_name: str = Field(
        "auto",
        alias="class",
        description="Dotted path of a scikit-learn compatible estimator class; `auto`: "
        "HistGradientBoostingClassifier or HistGradientBoostingRegressor by task (missing "
        "values and categories handled natively, no one-hot encoding).",
    )
    params: dict[str, Any] = Field(
        default_factory=dict, description="Keyword arguments of the estimator."
    )
    task: Literal["auto", "classification", "regression"] = Field(
        "auto", description="auto infers it from the estimator and the target."
    )
    steps: tuple[StepSpec, ...] | None = Field(
        None,
        description="A full scikit-learn Pipeline, last step the estimator (replaces `class`, "
        "`params` and the default imputing/one-hot preprocessing).",
    )
    serializer: Literal["joblib", "skops"] = Field(
        "joblib", description="Model file format (skops needs `pip install skops`)."
    )

    @field_validator("class_name")
    @classmethod
    def _dotted(cls, value: str) -> str:
        if value == "auto":
            return value
        if not re.match(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$", value):
            raise ValueError(
                f"must be a dotted class path like sklearn.linear_model.LogisticRegression "
                f"(got {value!r})"
            )
        return value

    @model_validator(mode="after")
    def _class_or_steps(self) -> ModelSpec:
        if self.steps is not None:
            if not self.steps:
                raise ValueError("give at least the estimator step")
            default_class = type(self).model_fields["class_name"].default
            if self.params or self.class_name != default_class:
                raise ValueError("give either class/params or steps, not both")
        return self
