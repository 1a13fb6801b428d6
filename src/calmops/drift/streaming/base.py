"""The streaming detector contract, and the ``NoDrift`` null object.

Parameters share one vocabulary: ``drift_threshold`` / ``warning_threshold`` for the level
a statistic must pass, ``warmup`` for the values read before any alarm, ``alpha`` only for a
significance level. Old names (``drift_limit``, ``warm_start``, ``min_instances``, ...)
still work when a detector is built by name (:func:`~calmops.drift.streaming.make_detector`,
which the spec's ``drift.detector_params`` goes through), with a ``DeprecationWarning``, and
when a saved detector is rebuilt.

A detector reads one value at a time with ``update(x)`` (returns ``None``); after each
update the read-only properties ``drift_detected`` and ``warning_detected`` say what it
saw. After a drift the detector starts afresh on the next update (as river's do), so
``drift_detected`` is true for exactly one update per detected change. ``reset()`` starts
afresh at once. ``to_dict()`` returns a JSON-ready dict of the parameters and the learned
state, and ``from_dict`` rebuilds an identical detector, so state survives a restart.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = ["Detector", "NoDrift"]


class Detector(ABC):
    """Base of every streaming detector; subclasses set ``name`` and implement
    ``update``, ``_reset``, ``_state`` and ``_restore``. The constructor only stores its
    parameters (returned by :meth:`params`) and calls ``_reset()``."""

    name: ClassVar[str]
    #: parameters renamed, old name -> new name (see the module docstring)
    renamed: ClassVar[dict[str, str]] = {}

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
    def upgrade_params(cls, params: Mapping[str, Any], *, warn: bool = True) -> dict[str, Any]:
        """``params`` with old parameter names replaced by the current ones.

        Examples
        --------
        >>> from calmops.drift.streaming import EWMA
        >>> EWMA.upgrade_params({"drift_limit": 4.0, "lam": 0.1}, warn=False)
        {'drift_threshold': 4.0, 'lam': 0.1}
        """
        out: dict[str, Any] = {}
        for key, value in params.items():
            new = cls.renamed.get(key)
            if new is not None:
                if warn:
                    warnings.warn(
                        f"{cls.name}: parameter {key!r} is now called {new!r}; "
                        f"the old name will be removed",
                        DeprecationWarning,
                        stacklevel=3,
                    )
                key = new
            out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detector:
        """Rebuild a detector saved with :meth:`to_dict` (also with old parameter names)."""
        detector = cls(**cls.upgrade_params(data.get("params", {}), warn=False))
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
