"""Real, time-ordered labelled data that ships inside an installed package.

Bundled with river (no download), rows in the order river keeps them: ``Phishing`` (1,250
web pages, 9 features, "is phishing"), ``Bananas`` (5,300 rows, 2 features, binary),
``Shuttle`` (49,097 rows, 9 features, "is an anomaly"), ``ImageSegments`` (2,310 rows, 18
features, 7 classes). No true change points are known, so only accuracy and retraining counts
are reported. A data set is cut into at most 20 batches.

``<name>-flipped``: the same rows with a real concept change half-way: from the middle row on
every label is replaced by the next class (binary: flipped), so the features keep their real
law and the change point is known (the batch holding the middle row).
"""

from __future__ import annotations

import pandas as pd

from detection_kit.streams import TARGET

__all__ = ["REAL", "real_batches"]


def _phishing() -> pd.DataFrame:
    from river import datasets

    rows = [{**x, TARGET: int(y)} for x, y in datasets.Phishing()]
    return pd.DataFrame(rows).astype({"ip_in_url": "int64", "age_of_domain": "int64"})


def _river(name: str):
    def load() -> pd.DataFrame:
        from river import datasets

        rows = [{**x, TARGET: y} for x, y in getattr(datasets, name)()]
        frame = pd.DataFrame(rows)
        if frame[TARGET].dtype == bool:
            frame[TARGET] = frame[TARGET].astype(int)
        return frame

    return load


#: name -> loader of the whole table, rows in time order
REAL = {
    "phishing": _phishing,
    "bananas": _river("Bananas"),
    "shuttle": _river("Shuttle"),
    "image-segments": _river("ImageSegments"),
}
MAX_BATCHES = 20


def _flipped(load):
    def flipped() -> pd.DataFrame:
        frame = load()
        half = len(frame) // 2
        classes = sorted(frame[TARGET].unique())
        following = dict(zip(classes, classes[1:] + classes[:1], strict=True))
        frame.loc[half:, TARGET] = frame[TARGET].iloc[half:].map(following)
        return frame

    return flipped


REAL |= {f"{name}-flipped": _flipped(load) for name, load in list(REAL.items())}


def real_batches(name: str, batch_size: int) -> tuple[pd.DataFrame, ...]:
    """Data set ``name`` cut into consecutive batches of ``batch_size`` rows, or more to
    make at most :data:`MAX_BATCHES` (the remainder joins the last batch)."""
    frame = REAL[name]().reset_index(drop=True)
    batch_size = max(batch_size, len(frame) // MAX_BATCHES)
    count = max(2, len(frame) // batch_size)
    bounds = [i * batch_size for i in range(count)] + [len(frame)]
    return tuple(
        frame.iloc[lo:hi].reset_index(drop=True) for lo, hi in zip(bounds, bounds[1:], strict=False)
    )
