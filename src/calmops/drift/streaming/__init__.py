"""Streaming drift detectors behind one protocol (see :class:`Detector`).

=================  ============================================  ======================
name               what it watches                               input
=================  ============================================  ======================
``adwin``          mean, adaptive window (river)                 any real values
``ddm``            error rate (river)                            0/1 errors
``eddm``           distance between errors (river)               0/1 errors
``hddm_a``         mean, Hoeffding bound (river)                 values in [0, 1]
``hddm_w``         weighted mean, Hoeffding bound (river)        values in [0, 1]
``kswin``          distribution, sliding-window KS (river)       any real values
``page_hinkley``   mean, Page-Hinkley (river)                    any real values
``cusum``          mean, two-sided CUSUM chart                   any real values
``ewma``           mean, EWMA chart                              any real values
=================  ============================================  ======================

>>> from calmops.drift.streaming import make_detector
>>> make_detector("cusum", drift_threshold=6.0)
CUSUM(k=0.5, drift_threshold=6.0, warning_threshold=6.0, warmup=300, mean=None, std=None)
"""

from __future__ import annotations

from typing import Any

from calmops.drift.streaming.adwin import ADWIN
from calmops.drift.streaming.base import Detector, NoDrift
from calmops.drift.streaming.cusum import CUSUM
from calmops.drift.streaming.ddm import DDM
from calmops.drift.streaming.eddm import EDDM
from calmops.drift.streaming.ewma import EWMA
from calmops.drift.streaming.hddm_a import HDDM_A
from calmops.drift.streaming.hddm_w import HDDM_W
from calmops.drift.streaming.kswin import KSWIN
from calmops.drift.streaming.page_hinkley import PageHinkley
from calmops.registry import Registry

__all__ = [
    "ADWIN",
    "CUSUM",
    "DDM",
    "DETECTORS",
    "EDDM",
    "EWMA",
    "HDDM_A",
    "HDDM_W",
    "KSWIN",
    "NO_DETECTOR",
    "Detector",
    "NoDrift",
    "PageHinkley",
    "detector_from_dict",
    "make_detector",
]

DETECTORS: Registry[type[Detector]] = Registry("streaming detector")
"""Detector classes by name (the spec's ``drift.detector``); one line per detector."""
DETECTORS.register(ADWIN)
DETECTORS.register(CUSUM)
DETECTORS.register(DDM)
DETECTORS.register(EDDM)
DETECTORS.register(EWMA)
DETECTORS.register(HDDM_A)
DETECTORS.register(HDDM_W)
DETECTORS.register(KSWIN)
DETECTORS.register(PageHinkley)

#: names that mean "no detector" (the spec's ``drift.detector: none``)
NO_DETECTOR = ("none", NoDrift.name)


def make_detector(name: str, **params: Any) -> Detector:
    """Build the detector registered as ``name`` (``"none"`` gives :class:`NoDrift`);
    old parameter names still work, with a ``DeprecationWarning``.

    Examples
    --------
    >>> make_detector("adwn")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no streaming detector 'adwn'; ...; did you mean 'adwin'?
    """
    if name in NO_DETECTOR:
        return NoDrift()
    cls = DETECTORS.get(name)
    return cls(**cls.upgrade_params(params))


def detector_from_dict(data: dict[str, Any]) -> Detector:
    """Rebuild any detector from its :meth:`Detector.to_dict`."""
    if data.get("detector") == NoDrift.name:
        return NoDrift()
    return DETECTORS.get(data["detector"]).from_dict(data)
