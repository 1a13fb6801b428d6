"""Page-Hinkley test for a change in the mean."""

from __future__ import annotations

from typing import ClassVar

from calmops.drift.streaming._river import RiverDetector

__all__ = ["PageHinkley"]


class PageHinkley(RiverDetector):
    """Page-Hinkley: cumulative deviations from the running mean, minus a tolerance ``delta``;
    drift when they exceed ``drift_threshold`` (upwards, downwards or ``both``), after
    ``warmup`` values; ``forgetting`` weighs down old deviations. (river calls these
    ``threshold``, ``min_instances`` and ``alpha``; the old names still work through
    ``make_detector``.)

    River's default tolerance (0.005) lets the cumulative sum of a stationary unit-variance
    stream wander past the threshold; a tolerance of 0.1 (a tenth of a standard deviation for
    standardised data) is quieter. Measured with ``benchmarks/detectors_bench.py`` (defaults, 20
    runs, see ``benchmarks/RESULTS.md``): 9 false alarms per 100,000 stationary N(0, 1) values
    (river: 60); median delay 55.5 values for a one-standard-deviation mean shift (river: 41.5)
    and 119.5 for half a standard deviation (river: 84.5).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> stream = np.concatenate([rng.normal(0, 1, 1000), rng.normal(2, 1, 500)])
    >>> detector = PageHinkley()
    >>> found = []
    >>> for i, x in enumerate(stream):
    ...     detector.update(x)
    ...     if detector.drift_detected:
    ...         found.append(i)
    >>> found
    [1025]

    References
    ----------
    Page, E. S. (1954). Continuous inspection schemes.
    """

    name = "page_hinkley"
    river_path = "river.drift:PageHinkley"
    river_names: ClassVar[dict[str, str]] = {
        "warmup": "min_instances",
        "drift_threshold": "threshold",
        "forgetting": "alpha",
    }
    renamed: ClassVar[dict[str, str]] = {v: k for k, v in river_names.items()}

    def __init__(
        self,
        warmup: int = 30,
        delta: float = 0.1,
        drift_threshold: float = 50.0,
        forgetting: float = 1 - 1e-4,
        mode: str = "both",
    ) -> None:
        super().__init__(
            warmup=warmup,
            delta=delta,
            drift_threshold=drift_threshold,
            forgetting=forgetting,
            mode=mode,
        )
