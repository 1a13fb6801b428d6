"""Conformance of every streaming detector, generated from the registry: defaults are
quiet on stationary streams and quick on an abrupt change; state survives a restart."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calmops.drift.streaming import DETECTORS, Detector, NoDrift, detector_from_dict, make_detector
from calmops.errors import RegistryError

#: detectors of error streams (0/1); the others watch real values
BINARY = {"ddm", "eddm", "hddm_a", "hddm_w"}
#: values before the change, and how many values after it each detector may take
BEFORE = 1500
DELAY = {"ddm": 500, "eddm": 700, "hddm_a": 300, "hddm_w": 300, "adwin": 200, "kswin": 200,
         "page_hinkley": 200, "cusum": 100, "ewma": 100}  # fmt: skip


def _stationary(name: str, seed: int, n: int = 3000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.random(n) < 0.2).astype(float) if name in BINARY else rng.normal(size=n)


def _changed(name: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if name in BINARY:
        return np.r_[rng.random(BEFORE) < 0.2, rng.random(1000) < 0.5].astype(float)
    return np.r_[rng.normal(size=BEFORE), rng.normal(1.5, 1, 1000)]


def _alarms(detector: Detector, stream: np.ndarray) -> list[int]:
    found = []
    for i, x in enumerate(stream):
        detector.update(x)
        if detector.drift_detected:
            found.append(i)
    return found


def test_every_detector_of_the_issue_is_registered():
    assert set(DETECTORS.names()) == set(DELAY)


@pytest.mark.parametrize("name", DETECTORS.names())
def test_quiet_on_stationary_streams(name):
    # 3 streams of 3000 values (kswin: 1 stream, it runs a KS test per value)
    seeds = range(1) if name == "kswin" else range(3)
    alarms = sum(len(_alarms(make_detector(name), _stationary(name, s))) for s in seeds)
    assert alarms == 0


@pytest.mark.parametrize("name", DETECTORS.names())
def test_quick_on_an_abrupt_change(name):
    for seed in range(2):
        found = _alarms(make_detector(name), _changed(name, seed))
        assert found and BEFORE <= found[0] < BEFORE + DELAY[name], found[:3]


@pytest.mark.parametrize("name", DETECTORS.names())
def test_conformance(name):
    cls = DETECTORS.get(name)
    detector = make_detector(name)
    assert isinstance(detector, cls) and detector.name == name
    assert cls.__doc__ and "Examples" in cls.__doc__
    assert not detector.drift_detected and not detector.warning_detected
    assert detector.update(0.0) is None
    assert repr(detector).startswith(cls.__name__ + "(")
    a, b = make_detector(name), make_detector(name)
    stream = _changed(name, 9)[:1700]
    assert _alarms(a, stream) == _alarms(b, stream)  # same seed, same detections


@pytest.mark.parametrize("name", DETECTORS.names())
def test_state_survives_a_restart(name):
    stream = _changed(name, 3)
    cut = BEFORE - 200
    uninterrupted = make_detector(name)
    expected = _alarms(uninterrupted, stream)
    first = make_detector(name)
    head = _alarms(first, stream[:cut])
    saved = json.dumps(first.to_dict(), allow_nan=False)  # strict JSON: no pickle, no NaN
    second = detector_from_dict(json.loads(saved))
    tail = [cut + i for i in _alarms(second, stream[cut:])]
    assert head + tail == expected
    assert json.loads(saved)["detector"] == name


@pytest.mark.parametrize("name", DETECTORS.names())
def test_reset_forgets_the_state(name):
    detector = make_detector(name)
    fresh = make_detector(name).to_dict()
    _alarms(detector, _changed(name, 1)[:400])
    detector.reset()
    assert detector.to_dict() == fresh


def test_params_are_forwarded():
    detector = make_detector("page_hinkley", drift_threshold=10.0)
    assert detector.params()["drift_threshold"] == 10.0
    assert detector._model.threshold == 10.0  # river's name for it
    assert detector_from_dict(detector.to_dict()).params() == detector.params()


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("ewma", {"drift_limit": 4.0, "warning_limit": 3.0},
         {"drift_threshold": 4.0, "warning_threshold": 3.0}),
        ("eddm", {"alpha": 0.95, "beta": 0.85, "warm_start": 50},
         {"warning_threshold": 0.95, "drift_threshold": 0.85, "warmup": 50}),
        ("page_hinkley", {"threshold": 20.0, "min_instances": 10, "alpha": 0.999},
         {"drift_threshold": 20.0, "warmup": 10, "forgetting": 0.999}),
        ("ddm", {"warm_start": 50}, {"warmup": 50}),
        ("adwin", {"grace_period": 20}, {"warmup": 20}),
    ],
)  # fmt: skip
def test_old_parameter_names_still_work_with_a_deprecation_warning(name, old, new):
    with pytest.warns(DeprecationWarning, match="is now called"):
        detector = make_detector(name, **old)
    assert {k: detector.params()[k] for k in new} == new
    saved = detector.to_dict()
    saved["params"] = old  # a detector saved before the rename
    assert detector_from_dict(saved).params() == detector.params()


def test_one_vocabulary_for_thresholds_and_warmup():
    import inspect

    for cls in (DETECTORS.get(name) for name in DETECTORS):
        names = set(inspect.signature(cls).parameters)
        assert not names & {"drift_limit", "warning_limit", "threshold", "warm_start",
                            "min_instances", "grace_period", "beta"}, cls  # fmt: skip


def test_unknown_detector_lists_the_choices():
    with pytest.raises(RegistryError, match="choose from adwin, cusum, ddm, eddm, ewma"):
        make_detector("adwn")


def test_no_drift_null_object():
    detector = make_detector("none")
    assert isinstance(detector, NoDrift)
    for x in (1.0, 1e9, -5.0):
        detector.update(x)
    assert not detector.drift_detected and not detector.warning_detected
    assert isinstance(detector_from_dict(detector.to_dict()), NoDrift)


def test_rebuilding_refuses_classes_outside_river():
    detector = make_detector("ddm")
    data = detector.to_dict()
    data["state"]["_p"] = {"__object__": "os:system", "state": {}}
    with pytest.raises(ValueError, match="not a river class"):
        detector_from_dict(data)
