"""KSWIN: Kolmogorov-Smirnov test over a sliding window."""

from __future__ import annotations

from calmops.drift.streaming._river import RiverDetector

__all__ = ["KSWIN"]


class KSWIN(RiverDetector):
    """Kolmogorov-Smirnov windowing: tests the latest ``stat_size`` values against a random
    sample of the older part of a window of ``window_size`` values, at every update.

    River's defaults (alpha 0.005, window 100) test thousands of times at 0.5% and alarm
    every few hundred stationary values; alpha 1e-5 over a 300-value window stays quiet and
    still notices a one-standard-deviation shift within about 100 values.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> stream = np.concatenate([rng.normal(0, 1, 600), rng.normal(2, 1, 300)])
    >>> detector = KSWIN()
    >>> found = []
    >>> for i, x in enumerate(stream):
    ...     detector.update(x)
    ...     if detector.drift_detected:
    ...         found.append(i)
    >>> found
    [649]

    References
    ----------
    Raab, C. et al. (2020). Reactive soft prototype computing for concept drift streams.
    """

    name = "kswin"
    river_path = "river.drift:KSWIN"

    def __init__(
        self, alpha: float = 1e-5, window_size: int = 300, stat_size: int = 100, seed: int = 0
    ) -> None:
        super().__init__(alpha=alpha, window_size=window_size, stat_size=stat_size, seed=seed)
