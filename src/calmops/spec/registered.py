"""Spec fields that name a registered item: a drift test, a detector, a strategy, a kind...

Such a field is annotated ``Annotated[str, RegistryName("calmops.drift", "TESTS")]`` and its
value is checked against that registry when a spec is validated, so the spec never repeats
the registry's names. The registry is imported at that moment, by module path, and not when
the spec is imported: the spec stays light (``calmops --help`` loads neither scipy nor
river) and below the packages whose registries it checks (the pipeline kinds and the
triggers import the spec). A value equal to the field's default is not looked up (a test
checks that every default is registered), so a spec that keeps the defaults loads nothing;
and a spec read back from a workspace, checked when it was saved, is not looked up again
(``PipelineSpec.from_yaml(path, check_names=False)``), so ``calmops show`` stays light.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calmops.registry import unknown_name

if TYPE_CHECKING:
    from pydantic import ValidationInfo

    from calmops.registry import Registry

__all__ = ["RegistryName", "checks_names"]


def checks_names(info: ValidationInfo) -> bool:
    """Whether this validation looks names up (all but ``context={"check_names": False}``)."""
    return bool((info.context or {}).get("check_names", True))


@dataclass(frozen=True)
class RegistryName:
    """The value must be a name in ``module.attribute`` (a Registry), or one of ``also``;
    with ``applies_to``, only items whose ``applies_to`` holds it (drift tests by column kind).

    Examples
    --------
    >>> strategy = RegistryName("calmops.models.strategies", "STRATEGIES")
    >>> strategy.check("window")
    'window'
    >>> strategy.check("ful")
    Traceback (most recent call last):
    ...
    ValueError: no retrain strategy 'ful'; choose from adaptive, full, ...; did you mean 'full'?
    """

    module: str
    attribute: str
    also: tuple[str, ...] = ()
    applies_to: str | None = None

    def registry(self) -> Registry[Any]:
        """The registry, imported on first use."""
        return getattr(importlib.import_module(self.module), self.attribute)

    def choices(self) -> tuple[str, ...]:
        """Every accepted name: ``also`` first, then the registry's names (sorted)."""
        return (*self.also, *(name for name, item in self.registry().items() if self._fits(item)))

    def _fits(self, item: Any) -> bool:
        return self.applies_to is None or self.applies_to in getattr(item, "applies_to", ())

    def check(self, value: str) -> str:
        """``value`` if it is accepted, else a ValueError naming the choices."""
        if value in self.also:
            return value
        registry = self.registry()
        if value not in registry:
            raise ValueError(unknown_name(registry.what, value, self.choices()))
        if not self._fits(registry.get(value)):
            raise ValueError(
                f"{registry.what} {value!r} does not apply to {self.applies_to} columns; "
                f"choose from {', '.join(self.choices())}"
            )
        return value
