"""Noise with a differential-privacy budget, with IBM's diffprivlib mechanisms.

Each value of a noised column is released through a mechanism calibrated to the column's
sensitivity (given, or ``upper - lower`` of its clipping ``bounds``): Laplace with scale
``sensitivity / epsilon`` (pure epsilon-DP; standard deviation ``sqrt(2) * scale``), or the
Gaussian mechanisms (classic for ``epsilon <= 1``, analytic for any epsilon) for
(epsilon, delta)-DP. This is local (per value) differential privacy: a person's row changes
the release of their own values only, and the columns compose sequentially, so the epsilon
spent is the sum over the noised columns (and likewise delta). Missing values stay missing;
noised columns become floats. diffprivlib takes a ``random_state``, so the same seed gives the
same noise.

References
----------
Dwork, McSherry, Nissim, Smith, "Calibrating noise to sensitivity in private data analysis",
TCC 2006. Balle, Wang, "Improving the Gaussian mechanism for differential privacy", ICML 2018.
Holohan et al., "Diffprivlib: the IBM differential privacy library", arXiv 1907.02444 (2019).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from calmops.errors import DataValidationError
from calmops.privacy.columns import check_columns
from calmops.privacy.config import NoiseColumn, NoiseConfig

__all__ = ["NoiseResult", "add_noise", "dp_mechanisms", "mechanism_for"]

_CLASSES = {"laplace": "Laplace", "gaussian": "Gaussian", "gaussian_analytic": "GaussianAnalytic"}


def dp_mechanisms() -> ModuleType:
    """``diffprivlib.mechanisms``, even where diffprivlib's models fail to import.

    diffprivlib's package ``__init__`` imports its scikit-learn models, which break on
    scikit-learn releases newer than it knows (0.6.6 imports ``sklearn.tree._tree.DOUBLE``,
    gone in 1.8). The mechanisms need none of that, so on such an ImportError the package is
    registered without running its ``__init__`` and only ``diffprivlib.mechanisms`` is loaded.
    """
    try:
        return importlib.import_module("diffprivlib.mechanisms")
    except ImportError as error:
        spec = importlib.util.find_spec("diffprivlib")
        if spec is None or spec.submodule_search_locations is None:
            raise DataValidationError(
                "noise needs diffprivlib: pip install 'diffprivlib>=0.6'"
            ) from error
    for name in [n for n in sys.modules if n == "diffprivlib" or n.startswith("diffprivlib.")]:
        del sys.modules[name]
    sys.modules["diffprivlib"] = importlib.util.module_from_spec(spec)
    return importlib.import_module("diffprivlib.mechanisms")


def mechanism_for(column: NoiseColumn, random_state: np.random.RandomState | int | None) -> Any:
    """The diffprivlib mechanism of one column's settings.

    Examples
    --------
    >>> m = mechanism_for(NoiseColumn(epsilon=0.5, sensitivity=2.0), random_state=0)
    >>> type(m).__name__, m.epsilon, m.sensitivity
    ('Laplace', 0.5, 2.0)
    """
    cls = getattr(dp_mechanisms(), _CLASSES[column.mechanism])
    options: dict[str, Any] = {
        "epsilon": column.epsilon,
        "sensitivity": column.scale_sensitivity,
        "random_state": random_state,
    }
    if column.mechanism != "laplace":
        options["delta"] = column.delta
    return cls(**options)


@dataclass(frozen=True)
class NoiseResult:
    """The noised table and the privacy budget it spent."""

    frame: pd.DataFrame
    epsilon_spent: float
    delta_spent: float
    columns: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "epsilon_spent": self.epsilon_spent,
            "delta_spent": self.delta_spent,
            "composition": "sequential over columns, per value (local DP)",
            "columns": self.columns,
        }


def _noised(values: pd.Series, column: NoiseColumn, state: np.random.RandomState) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataValidationError(
            f"column '{values.name}': noise needs numbers, got dtype {values.dtype}"
        )
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    if column.bounds is not None:
        numbers = np.clip(numbers, *column.bounds)
    mechanism = mechanism_for(column, state)
    out = numbers.copy()
    present = ~np.isnan(numbers)
    # diffprivlib's mechanisms draw one value per call (about 20-50k values a second)
    randomise = mechanism.randomise
    out[present] = [randomise(value) for value in numbers[present].tolist()]
    return pd.Series(out, index=values.index, name=values.name)


def add_noise(frame: pd.DataFrame, config: NoiseConfig, seed: int = 0) -> NoiseResult:
    """A copy of ``frame`` with each configured column noised; the epsilon spent.

    Each column draws from its own stream, spawned from ``seed``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"income": [30_000.0, 52_000.0, 250_000.0]})
    >>> config = NoiseConfig(columns={"income": {"epsilon": 1.0, "bounds": [0, 100_000]}})
    >>> result = add_noise(frame, config, seed=0)
    >>> result.epsilon_spent, result.columns["income"]["scale"]
    (1.0, 100000.0)
    >>> result.frame.equals(add_noise(frame, config, seed=0).frame)
    True
    """
    check_columns(frame, config.columns, "noise.columns")
    out = frame.copy()
    streams = np.random.SeedSequence(seed).spawn(len(config.columns))
    spent: dict[str, dict[str, Any]] = {}
    for (name, column), stream in zip(config.columns.items(), streams, strict=True):
        state = np.random.RandomState(np.random.MT19937(stream))
        out[name] = _noised(frame[name], column, state)
        spent[name] = {
            "mechanism": column.mechanism,
            "epsilon": column.epsilon,
            "delta": column.delta,
            "sensitivity": column.scale_sensitivity,
            "bounds": list(column.bounds) if column.bounds else None,
            "scale": column.scale_sensitivity / column.epsilon
            if column.mechanism == "laplace"
            else None,
        }
    return NoiseResult(
        frame=out,
        epsilon_spent=float(sum(c.epsilon for c in config.columns.values())),
        delta_spent=float(sum(c.delta for c in config.columns.values())),
        columns=spent,
    )
