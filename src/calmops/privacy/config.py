"""The privacy transforms as a validated configuration, read from a small YAML file.

Every section is optional; :func:`~calmops.privacy.anonymize.anonymize` applies the present
ones in a fixed order (pseudonymize, generalize, k-anonymity, shuffle, noise)::

    pseudonymize: {columns: [patient_id], key_env: CALMOPS_PSEUDONYM_KEY}
    generalize:
      age: {bins: [0, 18, 40, 65, 120]}
      visit_date: {truncate: month}
      income: {top: 200000, bottom: 10000}
      city: {groups: {north: [a, b], south: [c]}, other: other}
    k_anonymity: {quasi_identifiers: [age, city], k: 5}
    shuffle: [zip]
    noise:
      budget: 2.0
      columns:
        income: {mechanism: laplace, epsilon: 1.0, bounds: [10000, 200000]}

Unknown keys and keys given twice in one mapping are refused, with the field named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calmops.errors import SpecError
from calmops.spec.messages import format_validation_error
from calmops.strict_yaml import DuplicateKeyError, load_yaml

__all__ = [
    "DEFAULT_KEY_ENV",
    "GeneralizeRule",
    "KAnonymityConfig",
    "NoiseColumn",
    "NoiseConfig",
    "PrivacyConfig",
    "PseudonymizeConfig",
    "load_config",
]

#: the environment variable holding the pseudonymization key unless the config names another
DEFAULT_KEY_ENV = "CALMOPS_PSEUDONYM_KEY"
TruncateUnit = Literal["day", "week", "month", "quarter", "year"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PseudonymizeConfig(_Strict):
    """Identifier columns replaced by a keyed HMAC-SHA256; the key is never in the config."""

    columns: list[str] = Field(min_length=1)
    key_env: str = DEFAULT_KEY_ENV
    key_file: Path | None = None


class GeneralizeRule(_Strict):
    """One column's generalization: exactly one of bins, truncate, top/bottom, groups."""

    bins: list[float] | None = None
    truncate: TruncateUnit | None = None
    top: float | None = None
    bottom: float | None = None
    groups: dict[str, list[Any]] | None = None
    other: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> GeneralizeRule:
        kinds = [
            name
            for name, given in (
                ("bins", self.bins is not None),
                ("truncate", self.truncate is not None),
                ("top/bottom", self.top is not None or self.bottom is not None),
                ("groups", self.groups is not None),
            )
            if given
        ]
        if len(kinds) != 1:
            raise ValueError(
                f"give exactly one of bins, truncate, top/bottom or groups (got {kinds or 'none'})"
            )
        if self.other is not None and self.groups is None:
            raise ValueError("other applies to groups only")
        if self.bins is not None and (
            len(self.bins) < 2
            or any(a >= b for a, b in zip(self.bins, self.bins[1:], strict=False))
        ):
            raise ValueError(f"bins must be at least two increasing edges (got {self.bins})")
        if self.top is not None and self.bottom is not None and self.bottom >= self.top:
            raise ValueError(f"bottom ({self.bottom:g}) must be below top ({self.top:g})")
        return self


class KAnonymityConfig(_Strict):
    """Rows in quasi-identifier classes smaller than ``k`` are suppressed (dropped)."""

    quasi_identifiers: list[str] = Field(min_length=1)
    k: int = Field(ge=2)
    max_suppressed: float = Field(default=1.0, gt=0, le=1)


class NoiseColumn(_Strict):
    """One numeric column perturbed by a differential-privacy mechanism.

    The sensitivity is given, or follows from ``bounds`` (values are clipped to them first,
    and the sensitivity of one value is ``upper - lower``). It is never taken from the data,
    since that would itself leak the data.
    """

    mechanism: Literal["laplace", "gaussian", "gaussian_analytic"] = "laplace"
    epsilon: float = Field(gt=0)
    delta: float = Field(default=0.0, ge=0, lt=1)
    sensitivity: float | None = Field(default=None, gt=0)
    bounds: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _scale_known(self) -> NoiseColumn:
        if self.sensitivity is None and self.bounds is None:
            raise ValueError("give sensitivity or bounds (they cannot come from the data)")
        if self.bounds is not None and self.bounds[0] >= self.bounds[1]:
            raise ValueError(f"bounds must be [lower, upper] with lower < upper ({self.bounds})")
        if self.mechanism == "laplace" and self.delta:
            raise ValueError("laplace takes no delta (it is pure epsilon-DP)")
        if self.mechanism != "laplace" and not 0 < self.delta < 1:
            raise ValueError(f"{self.mechanism} needs a delta in (0, 1), e.g. 1e-5")
        if self.mechanism == "gaussian" and self.epsilon > 1:
            raise ValueError("gaussian needs epsilon <= 1 (use gaussian_analytic above 1)")
        return self

    @property
    def scale_sensitivity(self) -> float:
        """The sensitivity the mechanism is calibrated to."""
        if self.sensitivity is not None:
            return self.sensitivity
        assert self.bounds is not None
        return self.bounds[1] - self.bounds[0]


class NoiseConfig(_Strict):
    """Noised columns and the total epsilon they may spend (sequential composition)."""

    columns: dict[str, NoiseColumn] = Field(min_length=1)
    budget: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _within_budget(self) -> NoiseConfig:
        spent = sum(column.epsilon for column in self.columns.values())
        if self.budget is not None and spent > self.budget + 1e-12:
            raise ValueError(
                f"the columns spend epsilon {spent:g}, over the budget {self.budget:g}"
            )
        return self


class PrivacyConfig(_Strict):
    """All the transforms of one release."""

    pseudonymize: PseudonymizeConfig | None = None
    generalize: dict[str, GeneralizeRule] = Field(default_factory=dict)
    k_anonymity: KAnonymityConfig | None = None
    shuffle: list[str] = Field(default_factory=list)
    noise: NoiseConfig | None = None

    @model_validator(mode="after")
    def _quasi_identifiers_kept(self) -> PrivacyConfig:
        if self.k_anonymity is None:
            return self
        qis = set(self.k_anonymity.quasi_identifiers)
        moved = qis & {*self.shuffle, *(self.noise.columns if self.noise else ())}
        if moved:
            raise ValueError(
                f"shuffle/noise on quasi-identifiers {sorted(moved)} would undo k-anonymity; "
                "generalize them instead"
            )
        return self

    @classmethod
    def from_dict(cls, data: Any) -> PrivacyConfig:
        """Validate plain data; errors name each field (``noise.columns.x.epsilon: ...``)."""
        if not isinstance(data, dict):
            raise SpecError(f"a privacy config is a mapping, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise SpecError(format_validation_error(error, cls)) from None

    def with_options(
        self,
        *,
        pseudonymize: list[str] | None = None,
        quasi_identifiers: list[str] | None = None,
        k: int | None = None,
        shuffle: list[str] | None = None,
    ) -> PrivacyConfig:
        """This config with command-line options laid over it (each replaces its section's
        columns; ``k`` and ``quasi_identifiers`` complete the config's k_anonymity).

        Examples
        --------
        >>> config = PrivacyConfig().with_options(quasi_identifiers=["age", "zip"], k=5)
        >>> config.k_anonymity.quasi_identifiers, config.k_anonymity.k
        (['age', 'zip'], 5)
        >>> PrivacyConfig().with_options(k=5)
        Traceback (most recent call last):
        calmops.errors.SpecError: k_anonymity: k needs quasi-identifiers ...
        """
        data = self.model_dump(exclude_none=True)
        if pseudonymize:
            data["pseudonymize"] = {**data.get("pseudonymize", {}), "columns": pseudonymize}
        if shuffle:
            data["shuffle"] = shuffle
        if quasi_identifiers or k is not None:
            section = dict(data.get("k_anonymity", {}))
            section |= {"quasi_identifiers": quasi_identifiers} if quasi_identifiers else {}
            section |= {"k": k} if k is not None else {}
            if "quasi_identifiers" not in section or "k" not in section:
                raise SpecError(
                    "k_anonymity: k needs quasi-identifiers and quasi-identifiers need k "
                    "(--quasi-identifiers a,b --k 5, or a k_anonymity section)"
                )
            data["k_anonymity"] = section
        return PrivacyConfig.from_dict(data)

    def columns(self) -> set[str]:
        """Every column the config names."""
        named = set(self.generalize) | set(self.shuffle)
        if self.pseudonymize:
            named |= set(self.pseudonymize.columns)
        if self.k_anonymity:
            named |= set(self.k_anonymity.quasi_identifiers)
        if self.noise:
            named |= set(self.noise.columns)
        return named


def load_config(path: str | Path) -> PrivacyConfig:
    """Read and validate a privacy YAML file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "privacy.yaml"
    >>> _ = path.write_text("k_anonymity: {quasi_identifiers: [age], k: 5}\\nshuffle: [zip]\\n")
    >>> load_config(path).k_anonymity.k
    5
    >>> _ = path.write_text("shuffle: [a]\\nshuffle: [b]\\n")
    >>> load_config(path)
    Traceback (most recent call last):
    calmops.errors.SpecError: ...privacy.yaml: key 'shuffle' appears twice ...; keep one
    """
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
        return PrivacyConfig.from_dict({} if data is None else data)
    except SpecError as error:
        raise SpecError(f"{path}: {error}") from None
