"""The streaming detector contract, and the ``NoDrift`` null object.

A detector reads one value at a time with ``update(x)`` (returns ``None``); after each
update the read-only properties ``drift_detected`` and ``warning_detected`` say what it
saw. After a drift the detector starts afresh on the next update (as river's do), so
``drift_detected`` is true for exactly one update per detected change. ``reset()`` starts
afresh at once. ``to_dict()`` returns a JSON-ready dict of the parameters and the learned
state, and ``from_dict`` rebuilds an identical detector, so state survives a restart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

__all__ = ["Detector", "NoDrift"]


class Detector(ABC):
    """Base of every streaming detector; subclasses set ``name`` and implement
    ``update``, ``_reset``, ``_state`` and ``_restore``. The constructor only stores its
    parameters (returned by :meth:`params`) and calls ``_reset()``."""

    name: ClassVar[str]

    def __init__(self, **params: Any) -> None:
        self._params = params
        self._reset()

    # -- the contract ---------------------------------------------------------------
    @abstractmethod
    def update(self, x: float) -> None:
        """Read one value."""

    @property
    @abstractmethod
    def drift_detected(self) -> bool:
        """Whether the last update detected a change."""

    @property
    def warning_detected(self) -> bool:
        """Whether the last update raised a warning (a possible change building up)."""
        return False

    def reset(self) -> None:
        """Forget everything learned; keep the parameters."""
        self._reset()

    # -- state ------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """The constructor parameters."""
        return dict(self._params)

    def to_dict(self) -> dict[str, Any]:
        """Parameters and learned state, JSON-ready."""
        return {"detector": self.name, "params": self.params(), "state": self._state()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detector:
        """Rebuild a detector saved with :meth:`to_dict`."""
        detector = cls(**data.get("params", {}))
        detector._restore(data.get("state", {}))
        return detector

    @abstractmethod
    def _reset(self) -> None: ...

    @abstractmethod
    def _state(self) -> dict[str, Any]: ...

    @abstractmethod
    def _restore(self, state: dict[str, Any]) -> None: ...

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"{type(self).__name__}({args})"


class NoDrift(Detector):
    """A detector that never detects anything: use it instead of ``None``.

    Examples
    --------
    >>> detector = NoDrift()
    >>> detector.update(1e9)
    >>> detector.drift_detected, detector.warning_detected
    (False, False)
    """

    name = "no_drift"

    def update(self, x: float) -> None:
        return None

    @property
    def drift_detected(self) -> bool:
        return False

    def _reset(self) -> None:
        pass

    def _state(self) -> dict[str, Any]:
        return {}

    def _restore(self, state: dict[str, Any]) -> None:
        pass
