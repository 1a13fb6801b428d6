"""Conformance of every registry, generated from the registries themselves.

Each registered item is documented, carries the name it is registered under, and builds
with its defaults; every registry answers an unknown name with its choices and a hint.
Registries with their own deeper suites (drift tests, detectors, generators, operations,
triggers) are also checked there; this file is the one sweep over all of them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from calmops.data_generators import GENERATORS, OPERATIONS, PROFILES, SYNTHESIZERS
from calmops.drift import CORRECTIONS, MULTIVARIATE, TESTS, DriftResult, MultivariateResult
from calmops.drift.streaming import DETECTORS, Detector
from calmops.errors import RegistryError
from calmops.models.metrics import METRICS, Proba, scores
from calmops.models.strategies import STRATEGIES
from calmops.monitor.deploy import TARGETS
from calmops.monitor.triggers import TRIGGERS, Trigger
from calmops.performance import ESTIMATORS
from calmops.pipeline.kinds import KINDS
from calmops.registry import Registry
from calmops.spec import PipelineSpec

RNG = np.random.default_rng(0)
SRC = Path(__file__).parents[1] / "src" / "calmops"


def _instance(item: Any) -> Any:
    """An instance registered: its class builds again with defaults, to an equal name."""
    again = type(item)()
    assert again.name == item.name
    return item


def _drift_test(item: Any) -> None:
    if "numeric" in item.applies_to:
        sides = RNG.normal(size=50), RNG.normal(size=50)
    else:
        sides = list(RNG.choice(["a", "b"], 50)), list(RNG.choice(["a", "b"], 50))
    assert isinstance(_instance(item)(*sides), DriftResult)


def _multivariate(item: Any) -> None:
    result = item.run(RNG.normal(size=(60, 2)), RNG.normal(size=(60, 2)))
    assert isinstance(result, MultivariateResult) and result.method == item.name


def _correction(item: Any) -> None:
    adjusted = item.adjust(np.array([0.01, 0.2, 0.5]))
    assert adjusted.shape == (3,) and np.all((adjusted >= 0.01) & (adjusted <= 1))


def _detector(cls: type[Detector]) -> None:
    detector = cls()
    assert detector.name == cls.name and not detector.drift_detected


def _trigger(cls: type[Trigger]) -> None:
    trigger = {"type": cls.name} | ({"schedule": "10m"} if cls.name == "schedule" else {})
    spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "in"}, "trigger": trigger})
    assert cls(spec).name == cls.name


def _metric(item: Any) -> None:
    y = np.array([0.0, 1.0, 1.0, 0.0])
    proba = Proba(np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3]]), np.array([0.0, 1.0]))
    assert item.name in scores(y, y, item.task, proba=proba if item.needs_proba else None)
    assert item.description


def _built(cls: type) -> None:
    assert cls().name == cls.name


def _operation(item: Any) -> None:
    assert item.kind in ("covariate", "label", "concept", "quality")
    assert item.columns in ("given", "target", "output", "none")
    assert isinstance(item.parameters, list)


def _target(item: Any) -> None:
    assert callable(item.write)


def _estimator(cls: type) -> None:
    assert callable(cls.from_state) and callable(cls.estimate)


def _synthesizer(cls: type) -> None:
    real = pd.DataFrame({"x": RNG.normal(size=80), "g": RNG.choice(["a", "b"], 80)})
    fitted = cls().fit(real, target="g")
    assert fitted.sample(20, seed=1).equals(fitted.sample(20, seed=1))


def _doc(item: Any) -> str | None:
    """What documents an item: its class, or the function a small named record wraps."""
    for attribute in ("apply", "run", "adjust", "from_counts", "write"):
        if callable(getattr(item, attribute, None)) and not isinstance(item, type):
            return getattr(item, attribute).__doc__
    return (item if isinstance(item, type) else type(item)).__doc__


#: every registry of CalmOps, with how one of its items is built with defaults
REGISTRIES: dict[str, tuple[Registry[Any], Callable[[Any], Any]]] = {
    "drift test": (TESTS, _drift_test),
    "multivariate method": (MULTIVARIATE, _multivariate),
    "correction": (CORRECTIONS, _correction),
    "streaming detector": (DETECTORS, _detector),
    "retrain strategy": (STRATEGIES, _instance),
    "pipeline kind": (KINDS, _instance),
    "trigger": (TRIGGERS, _trigger),
    "metric": (METRICS, _metric),
    "generator": (GENERATORS, _built),
    "operation": (OPERATIONS, _operation),
    "profile": (PROFILES, _built),
    "synthesizer": (SYNTHESIZERS, _synthesizer),
    "deploy target": (TARGETS, _target),
    "performance estimator": (ESTIMATORS, _estimator),
}
ITEMS = [(what, name) for what, (registry, _) in REGISTRIES.items() for name in registry]


def _declared_registries() -> set[str]:
    """The ``what`` of every ``Registry("...")`` built in the source tree."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Registry"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_registry_is_swept() -> None:
    assert _declared_registries() == set(REGISTRIES)
    assert all(registry.what == what for what, (registry, _) in REGISTRIES.items())


@pytest.mark.parametrize(("what", "name"), ITEMS, ids=[f"{w}:{n}" for w, n in ITEMS])
def test_item_is_named_documented_and_builds(what: str, name: str) -> None:
    registry, build = REGISTRIES[what]
    item = registry.get(name)
    assert item.name == name
    doc = _doc(item)
    assert doc and doc.strip(), f"{what} {name!r} has no docstring"
    build(item)


@pytest.mark.parametrize("what", sorted(REGISTRIES))
def test_an_unknown_name_lists_the_choices_and_the_closest(what: str) -> None:
    registry, _ = REGISTRIES[what]
    first = registry.names()[0]
    with pytest.raises(RegistryError) as info:
        registry.get(first + "x")
    message = str(info.value)
    assert message.startswith(f"no {what} '{first}x'; choose from {', '.join(registry.names())}")
    assert message.endswith(f"; did you mean '{first}'?")
