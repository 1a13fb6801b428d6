"""Bootstrap: real rows drawn with replacement, with optional smoothing noise.

The simplest faithful synthesizer and the baseline the others are measured against: every
relation between columns is kept because whole rows are kept — and so are the rows
themselves, which is why it is not private. ``noise`` (a share of each column's standard
deviation) moves the values of numeric and many-valued integer columns by Gaussian noise
(reflected back into the real range at its bounds, integers rounded); discrete, boolean and
datetime columns are left as drawn. Missing values stay missing.

Conditions are met by drawing, for each value of the conditioned column, exactly its count of
rows among the real rows holding that value.

Examples
--------
>>> import pandas as pd
>>> real = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["a", "a", "b", "b"]})
>>> rows = BootstrapSynthesizer().fit(real, target="y").sample(6, {"y": {"b": 1}}, seed=0)
>>> rows["y"].tolist(), bool(rows["x"].isin([3.0, 4.0]).all())
(['b', 'b', 'b', 'b', 'b', 'b'], True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from calmops.data_generators.synth.base import Conditions, check_fitted, check_sample_size
from calmops.data_generators.synth.columns import infer_schema, numeric_values, restore_column
from calmops.data_generators.synth.conditions import check_conditions, exact_counts
from calmops.data_generators.synth.encoding import condition_value, encode_column
from calmops.data_generators.synth.leaves import reflect
from calmops.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BootstrapSynthesizer"]


class BootstrapSynthesizer:
    """Real rows resampled with replacement; optional Gaussian noise on numeric columns.

    Parameters
    ----------
    noise : standard deviation of the noise added to numeric (and many-valued integer)
        columns, as a share of each column's standard deviation; 0 keeps the values as they
        are.
    """

    name: ClassVar[str] = "bootstrap"

    def __init__(self, noise: float = 0.0) -> None:
        self.noise = noise

    def fit(self, data: pd.DataFrame, target: str | None = None) -> BootstrapSynthesizer:
        """Keep ``data`` (rows are drawn from it) and the scale of its numeric columns."""
        noise = self.noise
        if isinstance(noise, bool) or not isinstance(noise, int | float) or not noise >= 0:
            raise DataValidationError(f"noise must be a number ≥ 0 (got {noise!r})")
        schema = infer_schema(data, target)
        self.data_ = data.reset_index(drop=True).set_axis(schema.names, axis=1)
        self.scale_ = {}
        for info in schema.columns:
            noisy = info.kind in ("numeric", "integer") and not info.is_code
            if noisy and not info.all_missing:
                self.scale_[info.name] = float(np.nanstd(numeric_values(self.data_[info.name])))
        self.schema_ = schema
        return self

    def sample(
        self, n: int, conditions: Conditions | None = None, seed: int | None = None
    ) -> pd.DataFrame:
        """``n`` real rows drawn with replacement (within each conditioned value if asked)."""
        check_fitted(self)
        n = check_sample_size(n)
        conditions = check_conditions(conditions, self.schema_)
        rng = np.random.default_rng(seed)
        if conditions:
            column, shares = next(iter(conditions.items()))
            info = self.schema_.column(column)
            held = encode_column(self.data_[info.name], info)
            index = np.concatenate(
                [
                    rng.choice(np.flatnonzero(held == condition_value(info, value)), size=count)
                    for value, count in exact_counts(shares, n).items()
                    if count
                ]
            )
            index = rng.permutation(index)
        else:
            index = rng.integers(0, len(self.data_), size=n)
        rows = self.data_.iloc[index].reset_index(drop=True)
        if self.noise > 0:
            for name, scale in self.scale_.items():
                info = self.schema_.column(name)
                values = numeric_values(rows[name], info.kind)
                values = values + rng.normal(size=n) * scale * self.noise
                values = reflect(values, info.low, info.high)
                rows[name] = restore_column(values, info)
        return self.schema_.labelled(rows)
