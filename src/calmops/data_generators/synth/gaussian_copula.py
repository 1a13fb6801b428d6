"""Gaussian copula synthesis: per-column marginals joined by the correlation of normal scores.

Every column becomes a *normal score* ``z = Φ⁻¹(u)`` with ``u`` uniform on [0, 1]:

- numeric, integer (many values) and datetime columns through their fitted marginal
  (:mod:`.marginals`): ``u = F(x)``, drawn uniformly between ``F(x⁻)`` and ``F(x)`` at atoms;
- categorical, boolean and integer-coded columns through *frequency intervals*: each value
  owns a slice of [0, 1] as wide as its share (codes and booleans in their natural order,
  other labels by decreasing frequency), and a row's ``u`` is a uniform point inside its slice.

The scores' correlation matrix (pairwise over the rows where both are present), corrected
for the damping of discrete scores (:func:`score_attenuation`: the jitter inside an interval
is independent of the other columns, so a discrete column's score correlates less than the
latent normal it bins) and repaired to the nearest positive definite correlation by
eigenvalue clipping, is the copula. Sampling
draws multivariate normal scores, maps them back through ``Φ``, the inverse marginals and the
intervals, and restores each column's dtype with :func:`~.columns.restore_column`.

Missing values: a categorical column's missing values are one more category (``None``); a
numeric column with missing values gets an extra present/missing indicator, itself a copula
column, so missingness keeps its share and its relation to the other columns. Constant
columns stay constant and all-missing columns stay all-missing (neither enters the copula).
Conditions are met by rejection (:mod:`.rejection`).

Limits: a Gaussian copula only holds monotone, symmetric dependence; the damping correction
is first order (exact for a latent Gaussian at small correlations, a little off near ±1);
nominal labels relate to numbers only through their frequency order.

References
----------
Nelsen, R. B. (2006). *An Introduction to Copulas*, 2nd ed. Springer.
Patki, N., Wedge, R., Veeramachaneni, K. (2016). The Synthetic Data Vault. IEEE DSAA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import special

from calmops.data_generators.synth.base import (
    Conditions,
    check_fitted,
    check_sample_size,
)
from calmops.data_generators.synth.columns import (
    ColumnInfo,
    infer_schema,
    numeric_values,
    restore_column,
)
from calmops.data_generators.synth.conditions import check_conditions
from calmops.data_generators.synth.correlation import (
    nearest_correlation,
    pairwise_correlation,
    score_attenuation,
)
from calmops.data_generators.synth.marginals import MARGINALS, Marginal, fit_marginal
from calmops.data_generators.synth.rejection import rejection_sample, value_shares
from calmops.errors import DataValidationError, RegistryError
from calmops.registry import unknown_name

__all__ = ["GaussianCopulaSynthesizer"]


@dataclass(frozen=True, eq=False)
class _Intervals:
    """Frequency intervals: label ``i`` owns ``[edges[i], edges[i + 1])`` of [0, 1]."""

    labels: tuple[Any, ...]
    edges: np.ndarray

    def scores(self, codes: np.ndarray, rng: np.random.Generator, clip: float) -> np.ndarray:
        low, width = self.edges[codes], np.diff(self.edges)[codes]
        return special.ndtri(np.clip(low + rng.random(codes.size) * width, clip, 1 - clip))

    def decode(self, u: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.edges, u, side="right") - 1
        return np.clip(index, 0, len(self.labels) - 1)


@dataclass(frozen=True, eq=False)
class _Plan:
    """How one column enters the copula: a marginal, intervals, both (numeric with missing
    values: the intervals are the present/missing indicator) or neither (constant/empty)."""

    info: ColumnInfo
    marginal: Marginal | None = None
    intervals: _Intervals | None = None

    @property
    def width(self) -> int:
        return int(self.marginal is not None) + int(self.intervals is not None)

    @property
    def attenuations(self) -> list[float]:
        """How much each of this column's scores dampens a latent correlation."""
        out = []
        if self.marginal is not None:
            atoms = getattr(self.marginal, "atoms", np.array([]))
            out.append(score_attenuation(self.marginal.cdf_left(atoms), self.marginal.cdf(atoms)))
        if self.intervals is not None:
            out.append(score_attenuation(self.intervals.edges[:-1], self.intervals.edges[1:]))
        return out


class GaussianCopulaSynthesizer:
    """Per-column marginals joined by a Gaussian copula of their normal scores.

    Frequency intervals for labels and codes, missingness as a category or an indicator,
    conditions by rejection; the module docstring has the details.

    Parameters
    ----------
    marginal : ``"auto"`` (best scipy family by KS if it passes, else empirical),
        ``"empirical"``, or a family name (``norm``, ``lognorm``, ``gamma``, ``beta``,
        ``truncnorm``, ``uniform``); applies to every numeric column.
    smoothing : kernel bandwidth of empirical marginals, as a multiple of Silverman's rule.
    random_state : seed of the fit (subsamples, the jitter inside frequency intervals).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2_000)
    >>> real = pd.DataFrame({"x": x, "y": x + rng.normal(size=2_000),
    ...                      "g": np.where(x > 0, "hi", "lo")})
    >>> synth = GaussianCopulaSynthesizer().fit(real).sample(2_000, seed=1)
    >>> synth.dtypes.equals(real.dtypes), round(float(synth[["x", "y"]].corr().iloc[0, 1]), 1)
    (True, 0.7)
    """

    name: ClassVar[str] = "gaussian_copula"

    def __init__(
        self, marginal: str = "auto", smoothing: float = 0.5, random_state: int = 0
    ) -> None:
        self.marginal = marginal
        self.smoothing = smoothing
        self.random_state = random_state

    def fit(self, data: pd.DataFrame, target: str | None = None) -> GaussianCopulaSynthesizer:
        """Learn the marginals and the correlation of the normal scores of ``data``."""
        if self.marginal not in MARGINALS:
            raise RegistryError(unknown_name("marginal", self.marginal, MARGINALS))
        schema = infer_schema(data, target)
        data = data.set_axis(schema.names, axis=1)  # columns by their text names
        rng = np.random.default_rng(self.random_state)
        clip = 0.5 / len(data)
        plans, scores = [], []
        for info in schema.columns:
            plan, columns = self._encode(data[info.name], info, rng, clip)
            plans.append(plan)
            scores.extend(columns)
        z = np.column_stack(scores) if scores else np.zeros((len(data), 0))
        damping = np.array([a for plan in plans for a in plan.attenuations])
        latent = pairwise_correlation(z) / np.outer(damping, damping)
        np.fill_diagonal(latent, 1.0)
        correlation = nearest_correlation(np.clip(latent, -1.0, 1.0))
        values, vectors = np.linalg.eigh(correlation)
        self.correlation_ = correlation
        self.factor_ = vectors * np.sqrt(np.clip(values, 0.0, None))
        self.plans_ = tuple(plans)
        self.shares_ = value_shares(data, schema)
        self.schema_ = schema
        return self

    def _encode(
        self, series: pd.Series, info: ColumnInfo, rng: np.random.Generator, clip: float
    ) -> tuple[_Plan, list[np.ndarray]]:
        if info.all_missing:
            return _Plan(info), []
        if not info.is_numeric or info.is_code:
            intervals, codes = _frequency_intervals(series, info)
            if len(intervals.labels) == 1:
                return _Plan(info), []
            return _Plan(info, intervals=intervals), [intervals.scores(codes, rng, clip)]
        values = numeric_values(series, info.kind)
        missing = np.isnan(values)
        columns, marginal, indicator = [], None, None
        if not info.constant:
            seed = int(rng.integers(2**32))
            try:
                marginal = fit_marginal(values, self.marginal, self.smoothing, seed=seed)
            except DataValidationError as exc:
                raise DataValidationError(f"column {info.name!r}: {exc}") from exc
            present = values[~missing]
            left, right = marginal.cdf_left(present), marginal.cdf(present)
            u = np.clip(left + rng.random(present.size) * (right - left), clip, 1 - clip)
            z = np.full(values.size, np.nan)
            z[~missing] = special.ndtri(u)
            columns.append(z)
        if missing.any():
            share = float(missing.mean())
            indicator = _Intervals((False, True), np.array([0.0, 1.0 - share, 1.0]))
            columns.append(indicator.scores(missing.astype(int), rng, clip))
        return _Plan(info, marginal, indicator), columns

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
        u = special.ndtr(rng.standard_normal((n, self.factor_.shape[0])) @ self.factor_.T)
        columns, j = {}, 0
        for plan in self.plans_:
            info = plan.info
            values = _decode(plan, u[:, j : j + plan.width], n)
            columns[info.name] = restore_column(values, info)
            j += plan.width
        return pd.DataFrame(columns)


def _decode(plan: _Plan, u: np.ndarray, n: int) -> np.ndarray:
    """The values of one column from its uniforms ``u`` (``plan.width`` columns)."""
    info = plan.info
    if info.all_missing:
        return np.full(n, np.nan) if info.is_numeric else np.full(n, None, dtype=object)
    if plan.marginal is None and plan.intervals is None:  # constant
        value = info.low if info.is_numeric and not info.is_code else info.categories[0]
        return np.full(n, value, dtype=float if info.is_numeric else object)
    if not info.is_numeric or info.is_code:
        labels = np.array(plan.intervals.labels, dtype=object)
        return labels[plan.intervals.decode(u[:, 0])]
    values = plan.marginal.ppf(u[:, 0]) if plan.marginal is not None else np.full(n, info.low)
    if plan.intervals is not None:
        values = np.where(plan.intervals.decode(u[:, -1]) == 1, np.nan, values)
    return values


def _frequency_intervals(series: pd.Series, info: ColumnInfo) -> tuple[_Intervals, np.ndarray]:
    """The intervals of a discrete column and every row's label index (missing: ``None``)."""
    if info.is_code:
        labels: list[Any] = list(info.categories)  # sorted
        values = numeric_values(series, info.kind)
        present = ~np.isnan(values)
        codes = np.full(values.size, len(labels))
        codes[present] = np.searchsorted(np.asarray(labels, dtype=float), values[present])
    else:
        cats = list(info.categories)
        if info.kind == "boolean":
            cats = sorted(cats)
        raw = pd.Categorical(series, categories=cats).codes.astype(int)
        if info.kind != "boolean":  # most frequent first (stable for ties)
            order = np.argsort(-np.bincount(raw[raw >= 0], minlength=len(cats)), kind="stable")
            cats = [cats[i] for i in order]
            raw = np.where(raw >= 0, np.argsort(order)[np.maximum(raw, 0)], -1)
        labels = cats
        codes = np.where(raw < 0, len(labels), raw)
    if info.missing_share > 0:
        labels = [*labels, None]
    counts = np.bincount(codes, minlength=len(labels))
    edges = np.concatenate([[0.0], np.cumsum(counts) / counts.sum()])
    edges[-1] = 1.0
    return _Intervals(tuple(labels), edges), codes
