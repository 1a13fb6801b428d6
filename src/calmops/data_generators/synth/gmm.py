"""Gaussian mixture synthesis on standardized numeric and one-hot categorical columns.

The table is encoded as one numeric matrix: numeric, integer and datetime columns
standardized (missing values set to the mean, with a present/missing one-hot beside them),
categorical, boolean and integer-coded columns (at most ``MAX_CODES`` codes) one-hot encoded
(missing as one more level; beyond the ``MAX_LEVELS`` most frequent levels, the rest share one
"other" slot, decoded by drawing among them by frequency). A scikit-learn
``GaussianMixture`` (``n_components`` chosen by BIC among 1, 2, 4, 6, 8, 12, ... up to
``max_components`` when not given, on at most ``BIC_ROWS`` rows) or, with ``bayesian=True``,
a Dirichlet-process ``BayesianGaussianMixture`` with ``max_components`` components (unused
ones get ~0 weight) is fitted on it. The BIC search keeps the best model on the subsample and
refits it on every row from there (a warm start). Fits run single-threaded (threads only slow
such small matrices down on a shared machine), with at most scikit-learn's 100 EM iterations
and its ConvergenceWarning silenced: on one-hot columns the variational bound keeps creeping
long after the weights settle (the Bayesian fit stops at a 1e-2 change; it is still several
times slower). A component that collapses (``reg_covar`` too small for few distinct rows) is
refitted with a larger ridge (``REG_COVARS``); if even the largest fails, a clear error.

Sampling draws each row's component and its Gaussian with the sampler's own generator (so a
seed fixes the rows, in random order), then decodes: the largest one-hot wins, numbers are
unstandardized, clipped to the real range and rounded for integers (integer codes snap to the
nearest real code), missing where the missing slot wins, dtypes restored. Constant columns
stay constant, all-missing ones all-missing. Conditions are met by rejection
(:mod:`.rejection`).

References
----------
Reynolds, D. (2009). Gaussian Mixture Models. *Encyclopedia of Biometrics*, Springer.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from calmops.data_generators.synth.base import Conditions, check_fitted, check_sample_size
from calmops.data_generators.synth.columns import (
    ColumnInfo,
    infer_schema,
    numeric_values,
    restore_column,
)
from calmops.data_generators.synth.conditions import check_conditions
from calmops.data_generators.synth.rejection import rejection_sample, value_shares
from calmops.errors import DataValidationError

__all__ = ["GMMSynthesizer"]

MAX_CODES = 10
"""An integer column with at most this many codes is one-hot encoded; above, it is numeric."""
MAX_LEVELS = 30
"""A categorical column keeps its most frequent levels as one-hots; the rest share a slot."""
BIC_ROWS = 2_000
"""The number of components is chosen by BIC on at most this many rows (a seeded subsample)."""
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
REG_COVARS = (1e-3, 1e-2, 1e-1)
"""Ridge added to the covariances, raised in turn when a component collapses."""
_OTHER = object()


@dataclass(frozen=True, eq=False)
class _Block:
    """Where one column sits in the encoded matrix and how to decode it."""

    info: ColumnInfo
    start: int = 0
    labels: tuple[Any, ...] = ()  # one-hot levels (``_OTHER``: the pooled rare levels)
    rare: tuple[Any, ...] = ()
    rare_p: np.ndarray | None = None
    mean: float = 0.0
    std: float = 1.0
    missing_slot: bool = False  # numeric: a present/missing one-hot follows the number

    @property
    def width(self) -> int:
        if self.labels:
            return len(self.labels)
        if self.info.all_missing or (self.info.constant and not self.missing_slot):
            return 0
        return int(not self.info.constant) + 2 * self.missing_slot


class GMMSynthesizer:
    """A (Bayesian) Gaussian mixture on standardized numbers and one-hot labels.

    Components chosen by BIC (or a Dirichlet prior), missingness as a one-hot slot,
    conditions by rejection; the module docstring has the details.

    Parameters
    ----------
    n_components : number of components; ``None`` chooses it (BIC, or the Dirichlet prior).
    max_components : the cap on components when choosing them.
    bayesian : use ``BayesianGaussianMixture`` (Dirichlet process) instead of BIC.
    covariance_type : scikit-learn's ``full``, ``tied``, ``diag`` or ``spherical``.
    random_state : seed of the fit.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> g = rng.choice(["a", "b"], 1_000)
    >>> real = pd.DataFrame({"g": g, "x": np.where(g == "a", 0.0, 5.0) + rng.normal(size=1_000)})
    >>> synth = GMMSynthesizer(random_state=0).fit(real).sample(2_000, seed=1)
    >>> synth.groupby("g")["x"].mean().round().to_dict()
    {'a': 0.0, 'b': 5.0}
    """

    name: ClassVar[str] = "gmm"

    def __init__(
        self,
        n_components: int | None = None,
        max_components: int = 10,
        bayesian: bool = False,
        covariance_type: str = "full",
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.max_components = max_components
        self.bayesian = bayesian
        self.covariance_type = covariance_type
        self.random_state = random_state

    def fit(self, data: pd.DataFrame, target: str | None = None) -> GMMSynthesizer:
        """Encode ``data`` and fit the mixture on it."""
        for label, value in (
            ("n_components", self.n_components),
            ("max_components", self.max_components),
        ):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise DataValidationError(f"{label} must be a whole number ≥ 1 (got {value!r})")
        if self.covariance_type not in COVARIANCE_TYPES:
            raise DataValidationError(
                f"covariance_type must be one of {', '.join(COVARIANCE_TYPES)} "
                f"(got {self.covariance_type!r})"
            )
        schema = infer_schema(data, target)
        data = data.set_axis(schema.names, axis=1)  # columns by their text names
        blocks, parts, start = [], [], 0
        for info in schema.columns:
            block, part = _encode(data[info.name], info, start)
            blocks.append(block)
            parts.append(part)
            start += block.width
        x = np.column_stack(parts) if start else np.zeros((len(data), 0))
        self.weights_, self.means_, self.factors_ = self._mixture(x) if start else _empty()
        self.blocks_ = tuple(blocks)
        self.shares_ = value_shares(data, schema)
        self.schema_ = schema
        return self

    def _mixture(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        from sklearn.exceptions import ConvergenceWarning

        error: ValueError | None = None
        with threadpool_limits(limits=1), warnings.catch_warnings():  # see the module
            warnings.simplefilter("ignore", ConvergenceWarning)
            for reg_covar in REG_COVARS:
                try:
                    model = self._fit_model(x, reg_covar)
                    break
                except ValueError as exc:
                    if "covariance" not in str(exc):
                        raise
                    error = exc  # a component collapsed: regularize more
            else:
                raise DataValidationError(
                    f"the Gaussian mixture collapsed even with reg_covar={REG_COVARS[-1]} "
                    "(too few distinct rows for its components); set fewer n_components or "
                    "use gaussian_copula"
                ) from error
        covariances = _full_covariances(model, x.shape[1])
        factors = np.stack([np.linalg.cholesky(c) for c in covariances])
        return model.weights_ / model.weights_.sum(), model.means_, factors

    def _fit_model(self, x: np.ndarray, reg_covar: float) -> Any:
        from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

        cap = min(self.n_components or self.max_components, len(x))
        common = dict(
            covariance_type=self.covariance_type,
            reg_covar=reg_covar,
            init_params="k-means++",
            random_state=self.random_state,
        )
        if self.bayesian:
            return BayesianGaussianMixture(
                n_components=cap,
                weight_concentration_prior_type="dirichlet_process",
                tol=1e-2,
                **common,
            ).fit(x)
        if self.n_components:
            return GaussianMixture(n_components=cap, **common).fit(x)
        return self._bic_choice(x, cap, common)

    def _bic_choice(self, x: np.ndarray, cap: int, common: dict) -> Any:
        """The mixture with the best BIC on a subsample, refitted on all rows from there."""
        from sklearn.mixture import GaussianMixture

        rng = np.random.default_rng(self.random_state)
        rows = x[rng.choice(len(x), BIC_ROWS, replace=False)] if len(x) > BIC_ROWS else x
        grid = [k for k in (1, 2, 4, 6, 8, 12, 16, 24, 32) if k < cap] + [cap]
        best, best_bic, worse = None, np.inf, 0
        for k in sorted({k for k in grid if k <= len(rows)}):
            model = GaussianMixture(n_components=k, tol=1e-2, **common).fit(rows)  # a ranking
            bic = model.bic(rows)
            if bic < best_bic:
                best, best_bic, worse = model, bic, 0
            else:
                worse += 1
            if worse == 2:  # two larger sizes in a row did worse: stop looking
                break
        if len(rows) == len(x):
            return best
        warm = dict(
            weights_init=best.weights_, means_init=best.means_, precisions_init=best.precisions_
        )
        return GaussianMixture(n_components=best.n_components, **warm, **common).fit(x)

    def sample(
        self, n: int, conditions: Conditions | None = None, seed: int | None = None
    ) -> pd.DataFrame:
        """``n`` rows; ``conditions`` (one categorical column) met exactly by rejection."""
        check_fitted(self)
        n = check_sample_size(n)
        conditions = check_conditions(conditions, self.schema_)
        rng = np.random.default_rng(seed)
        if conditions is None:
            return self.schema_.labelled(self._draw(n, rng))
        rows = rejection_sample(self._draw, n, conditions, self.shares_, rng)
        return self.schema_.labelled(rows)

    def _draw(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        component = rng.choice(len(self.weights_), size=n, p=self.weights_)
        noise = rng.standard_normal((n, self.means_.shape[1]))
        x = np.empty_like(noise)
        for k in range(len(self.weights_)):
            rows = component == k
            x[rows] = self.means_[k] + noise[rows] @ self.factors_[k].T
        columns = {b.info.name: restore_column(_decode(b, x, rng), b.info) for b in self.blocks_}
        return pd.DataFrame(columns)


def _empty() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A one-component mixture in zero dimensions (every column constant or empty)."""
    return np.ones(1), np.zeros((1, 0)), np.zeros((1, 0, 0))


def _full_covariances(model: Any, d: int) -> np.ndarray:
    """The model's covariances as a ``(k, d, d)`` array whatever its ``covariance_type``."""
    cov, k = model.covariances_, len(model.weights_)
    kind = model.covariance_type
    if kind == "full":
        return cov
    if kind == "tied":
        return np.repeat(cov[None], k, axis=0)
    if kind == "diag":
        return np.stack([np.diag(c) for c in cov])
    return np.stack([np.eye(d) * c for c in cov])


def _level_codes(series: pd.Series, info: ColumnInfo) -> tuple[list[Any], np.ndarray]:
    """The levels by decreasing frequency (``None``: missing) and every row's level index."""
    if info.is_code:
        raw = numeric_values(series, info.kind)
        values = [None if np.isnan(v) else int(v) for v in raw]
    else:
        values = series.astype(object).where(series.notna(), None).tolist()
    codes, levels = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    levels = [None if pd.isna(v) else v for v in levels]
    order = np.argsort(-np.bincount(codes, minlength=len(levels)), kind="stable")
    return [levels[i] for i in order], np.argsort(order)[codes]


def _encode(series: pd.Series, info: ColumnInfo, start: int) -> tuple[_Block, np.ndarray]:
    """The block of one column and its encoded values (``n × block.width``)."""
    n = len(series)
    one_hot = info.kind in ("categorical", "boolean") or (
        info.is_code and len(info.categories) <= MAX_CODES
    )
    if one_hot and not info.all_missing:
        levels, codes = _level_codes(series, info)
        if len(levels) == 1:
            return _Block(info, start), np.zeros((n, 0))
        kept, rare = levels[:MAX_LEVELS], levels[MAX_LEVELS:]
        rare_p = None
        if rare:
            counts = np.bincount(codes, minlength=len(levels))[MAX_LEVELS:]
            rare_p = counts / counts.sum()
        labels = tuple(kept) + ((_OTHER,) if rare else ())
        block = _Block(info, start, labels, tuple(rare), rare_p)
        return block, np.eye(len(labels))[np.minimum(codes, len(kept))]
    if info.all_missing:
        return _Block(info, start), np.zeros((n, 0))
    values = numeric_values(series, info.kind)
    if np.isinf(values).any():
        raise DataValidationError(
            f"column {info.name!r} holds infinite values; replace them (NaN if they mean missing)"
        )
    missing = np.isnan(values)
    slot = bool(missing.any())
    mean, std = float(np.nanmean(values)), float(np.nanstd(values)) or 1.0
    block = _Block(info, start, mean=mean, std=std, missing_slot=slot)
    parts = [] if info.constant else [np.where(missing, 0.0, (values - mean) / std)[:, None]]
    if slot:
        parts.append(np.eye(2)[missing.astype(int)])
    return block, np.column_stack(parts) if parts else np.zeros((n, 0))


def _decode(block: _Block, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The values of one column from the sampled matrix ``x``."""
    info, n = block.info, len(x)
    part = x[:, block.start : block.start + block.width]
    if info.all_missing:
        return np.full(n, np.nan) if info.is_numeric else np.full(n, None, dtype=object)
    if block.labels:
        values = np.array(block.labels, dtype=object)[part.argmax(axis=1)]
        pooled = values == _OTHER
        if pooled.any():
            choice = rng.choice(len(block.rare), size=int(pooled.sum()), p=block.rare_p)
            values[pooled] = np.array(block.rare, dtype=object)[choice]
        return values
    if info.constant and not info.is_numeric:
        return np.full(n, info.categories[0], dtype=object)
    if info.constant:
        number = np.full(n, info.low)
    else:
        number = part[:, 0] * block.std + block.mean
        if info.is_code:  # many codes: snap to the nearest real one
            codes = np.asarray(info.categories, dtype=float)
            number = codes[np.abs(number[:, None] - codes[None, :]).argmin(axis=1)]
    if block.missing_slot:
        number = np.where(part[:, -1] > part[:, -2], np.nan, number)
    return number
