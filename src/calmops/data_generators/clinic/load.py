"""Reading a cohort spec: from a mapping or a YAML file, validated and cross-checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from calmops.data_generators.clinic.checks import check_config
from calmops.data_generators.clinic.config import CohortConfig
from calmops.errors import SpecError
from calmops.spec.messages import format_validation_error

__all__ = ["config_from_dict", "config_from_yaml", "load_config"]


def config_from_dict(data: Any) -> CohortConfig:
    """Validate ``data``; every problem is a SpecError naming its field.

    Examples
    --------
    >>> config_from_dict({"patients": 10, "visits": 2}).visits
    2
    >>> config_from_dict({"visits": 0})
    Traceback (most recent call last):
    calmops.errors.SpecError: visits: input should be greater than or equal to 1
    """
    if not isinstance(data, dict):
        raise SpecError(f"a cohort spec must be a mapping (got {type(data).__name__})")
    try:
        config = CohortConfig.model_validate(data)
    except ValidationError as error:
        raise SpecError(format_validation_error(error, CohortConfig)) from None
    check_config(config)
    return config


def config_from_yaml(path: str | Path) -> CohortConfig:
    """Read and validate a YAML cohort spec; errors start with the file's path."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except yaml.YAMLError:
        raise SpecError(f"{path}: invalid YAML") from None
    try:
        return config_from_dict(data if data is not None else {})
    except SpecError as error:
        raise SpecError(f"{path}: {error}") from None


def load_config(config: CohortConfig | dict[str, Any] | str | Path | None) -> CohortConfig:
    """A checked :class:`CohortConfig` from itself, a mapping, a YAML path, or None (defaults)."""
    if config is None:
        return config_from_dict({})
    if isinstance(config, CohortConfig):
        check_config(config)
        return config
    if isinstance(config, dict):
        return config_from_dict(config)
    if isinstance(config, str | Path):
        return config_from_yaml(config)
    raise SpecError(f"config must be a CohortConfig, a mapping or a YAML path, got {config!r}")
