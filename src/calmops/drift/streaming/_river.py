"""Wrapping a river drift detector behind :class:`~calmops.drift.streaming.base.Detector`,
with its state as plain JSON (no pickle): numbers, lists, deques, random-generator state,
river's statistics objects (rebuilt only from ``river.*`` classes), and river's Rust
objects (ADWIN's window, EWMean) through their own ``__getstate__`` bytes (base64).
"""

from __future__ import annotations

import base64
import collections
import importlib
import math
import random
from typing import Any, ClassVar

import numpy as np

from calmops.drift.streaming.base import Detector

__all__ = ["RiverDetector", "dump_state", "load_state"]


class RiverDetector(Detector):
    """A river detector built from ``river_path`` (``"module:Class"``) with our params."""

    river_path: ClassVar[str]
    #: our parameter name -> river's, where they differ
    river_names: ClassVar[dict[str, str]] = {}

    def _build(self) -> Any:
        module, cls = self.river_path.split(":")
        params = {self.river_names.get(k, k): v for k, v in self._params.items()}
        return getattr(importlib.import_module(module), cls)(**params)

    def _reset(self) -> None:
        self._model = self._build()

    def update(self, x: float) -> None:
        self._model.update(float(x))

    @property
    def drift_detected(self) -> bool:
        return bool(self._model.drift_detected)

    @property
    def warning_detected(self) -> bool:
        return bool(getattr(self._model, "warning_detected", False))

    def _state(self) -> dict[str, Any]:
        return {k: dump_state(v) for k, v in vars(self._model).items() if not callable(v)}

    def _restore(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            setattr(self._model, key, load_state(value))


def dump_state(value: Any) -> Any:
    """A JSON-ready form of a piece of river detector state."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, collections.deque):
        return {"__deque__": [dump_state(v) for v in value], "maxlen": value.maxlen}
    if isinstance(value, list | tuple):
        items = [dump_state(v) for v in value]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, dict):
        return {"__dict__": [[dump_state(k), dump_state(v)] for k, v in value.items()]}
    if isinstance(value, random.Random):
        return {"__random__": dump_state(value.getstate())}
    cls = type(value)
    if cls.__module__.startswith("river._river_rust"):  # Rust objects serialise themselves
        return {
            "__rust__": f"{cls.__module__}:{cls.__qualname__}",
            "args": [dump_state(v) for v in value.__getnewargs__()],
            "bytes": base64.b64encode(value.__getstate__()).decode("ascii"),
        }
    if cls.__module__.startswith("river."):
        state = {k: dump_state(v) for k, v in vars(value).items() if not callable(v)}
        return {"__object__": f"{cls.__module__}:{cls.__qualname__}", "state": state}
    raise TypeError(f"cannot save detector state of type {cls.__name__}")


def load_state(value: Any) -> Any:
    """The inverse of :func:`dump_state`."""
    if isinstance(value, list):
        return [load_state(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__float__" in value:
        return float(value["__float__"])
    if "__deque__" in value:
        return collections.deque((load_state(v) for v in value["__deque__"]), value["maxlen"])
    if "__tuple__" in value:
        return tuple(load_state(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {load_state(k): load_state(v) for k, v in value["__dict__"]}
    if "__random__" in value:
        rng = random.Random()
        rng.setstate(load_state(value["__random__"]))
        return rng
    if "__rust__" in value:
        module, name = value["__rust__"].split(":")
        if not module.startswith("river._river_rust"):
            raise ValueError(f"refusing to rebuild {value['__rust__']!r} (not a river class)")
        obj = getattr(importlib.import_module(module), name)(*load_state(value["args"]))
        obj.__setstate__(base64.b64decode(value["bytes"]))
        return obj
    if "__object__" in value:
        module, name = value["__object__"].split(":")
        if not module.startswith("river."):
            raise ValueError(f"refusing to rebuild {value['__object__']!r} (not a river class)")
        obj = getattr(importlib.import_module(module), name)
        instance = obj.__new__(obj)
        for key, item in value["state"].items():
            setattr(instance, key, load_state(item))
        return instance
    raise ValueError(f"unknown saved state {sorted(value)}")
