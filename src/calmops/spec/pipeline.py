"""``PipelineSpec``: one pipeline, validated from YAML or a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from calmops.errors import InvalidNameError, SpecError
from calmops.spec.custom_metric import check_custom_metric
from calmops.spec.kinds import BlockSpec, IPIPSpec
from calmops.spec.messages import format_validation_error
from calmops.spec.names import validate_name
from calmops.spec.policy import (
    BreakerSpec,
    DecisionSpec,
    DriftSpec,
    PromotionSpec,
    RetentionSpec,
    RetrainSpec,
)
from calmops.spec.registered import RegistryName
from calmops.spec.sections import DataSpec, ModelSpec, TriggerSpec, _Section
from calmops.strict_yaml import DuplicateKeyError, load_yaml

__all__ = ["PipelineSpec"]


class PipelineSpec(_Section):
    """One pipeline: its data, trigger, model and retraining policy."""

    name: str = Field(description="Pipeline name (required): ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$.")
    kind: Annotated[str, RegistryName("calmops.pipeline.kinds", "KINDS")] = Field(
        "stream", description="stream (file = batch), block (blocks in a file) or ipip."
    )
    description: str = Field("", description="Free text shown in listings.")
    data: DataSpec = Field(description="Where the data comes from (required).")
    trigger: TriggerSpec = Field(default_factory=TriggerSpec, description="When batches run.")
    model: ModelSpec = Field(default_factory=ModelSpec, description="What is trained.")
    retrain: RetrainSpec = Field(default_factory=RetrainSpec, description="How it is retrained.")
    drift: DriftSpec = Field(default_factory=DriftSpec, description="Data drift and detector.")
    decision: DecisionSpec = Field(
        default_factory=DecisionSpec, description="When a labelled batch retrains."
    )
    promotion: PromotionSpec = Field(
        default_factory=PromotionSpec, description="When a challenger becomes champion."
    )
    breaker: BreakerSpec = Field(
        default_factory=BreakerSpec, description="Pausing retraining after failures."
    )
    retention: RetentionSpec = Field(
        default_factory=RetentionSpec, description="How many old runs are kept."
    )
    block: BlockSpec = Field(
        default_factory=BlockSpec, description="Blocks: evaluation, router, drift matrix."
    )
    ipip: IPIPSpec = Field(
        default_factory=IPIPSpec, description="IPIP: ensemble sizes and proportions."
    )
    prediction_only: bool = Field(False, description="Score and monitor, never train.")
    log_predictions: bool = Field(
        True,
        description="Write each run's per-row predictions to predictions/runs/<run-id>.parquet "
        "(the row's id columns, row number, source, prediction, probabilities), so labels "
        "that arrive later can be joined: `calmops labels`.",
    )
    hooks: Path | None = Field(
        None, description="Python file with optional preprocess/train/retrain/metric functions."
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
    def from_dict(
        cls, data: Any, *, base_dir: Path | None = None, check_names: bool = True
    ) -> PipelineSpec:
        """Validate ``data``; relative paths are taken from ``base_dir`` (default: cwd).

        ``check_names=False`` skips looking registered names up (see
        :mod:`calmops.spec.registered`): for specs already checked when they were saved.
        """
        if not isinstance(data, dict):
            raise SpecError(f"a spec must be a mapping of fields (got {type(data).__name__})")
        try:
            spec = cls.model_validate(data, context={"check_names": check_names})
        except ValidationError as error:
            raise SpecError(format_validation_error(error, cls)) from None
        spec = spec._resolved(base_dir or Path.cwd())
        if check_names:
            check_custom_metric(spec)
        return spec

    @classmethod
    def from_yaml(cls, path: str | Path, *, check_names: bool = True) -> PipelineSpec:
        """Read and validate a YAML spec file; relative paths are taken from its folder."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SpecError(f"{path}: cannot be read ({error})") from None
        try:
            data = load_yaml(text)
        except DuplicateKeyError as error:
            raise SpecError(f"{path}: {error}; keep one") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise SpecError(f"{path}: invalid YAML{where}") from None
        try:
            return cls.from_dict(data, base_dir=path.parent.absolute(), check_names=check_names)
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
        if child is None:  # an unset section (params, data.chunk): start it empty
            child = node[key] = {}
        if not isinstance(child, dict):
            where = ".".join(keys[: depth + 1])
            raise SpecError(f"{where}: is not a section, so '{dotted}' cannot be set")
        node = child
    node[keys[-1]] = value
