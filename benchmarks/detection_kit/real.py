"""Real, time-ordered labelled data that ships inside an installed package.

river's ``datasets.Phishing`` (1,250 web pages in the order river keeps them, 9 features,
"is phishing" label; bundled with river, no download). No true change points are known, so
only accuracy and retraining counts are reported.
"""

from __future__ import annotations

import pandas as pd

from detection_kit.streams import TARGET

__all__ = ["REAL", "real_batches"]


def _phishing() -> pd.DataFrame:
    from river import datasets

    rows = [{**x, TARGET: int(y)} for x, y in datasets.Phishing()]
    return pd.DataFrame(rows).astype({"ip_in_url": "int64", "age_of_domain": "int64"})


#: name -> loader of the whole table, rows in time order
REAL = {"phishing": _phishing}


def real_batches(name: str, batch_size: int) -> tuple[pd.DataFrame, ...]:
    """Data set ``name`` cut into consecutive batches of ``batch_size`` rows (the remainder
    joins the last batch)."""
    frame = REAL[name]().reset_index(drop=True)
    count = max(2, len(frame) // batch_size)
    bounds = [i * batch_size for i in range(count)] + [len(frame)]
    return tuple(
        frame.iloc[lo:hi].reset_index(drop=True) for lo, hi in zip(bounds, bounds[1:], strict=False)
    )
