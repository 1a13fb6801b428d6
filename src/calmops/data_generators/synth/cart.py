"""Sequential CART synthesis (synthpop's default method), the default synthesizer.

Columns are synthesized one after the other in a *visit order*. The first is drawn from its
marginal (real values, resampled); every next column is drawn, row by row, from the leaf of a
tree fitted on the real table to predict it from the columns visited before it: the new row
goes down the tree and takes the value of a random real row of its leaf (a donor), never the
tree's prediction. Discrete columns (categorical, boolean, and few-valued numbers such as
ratings or ``0, 0.5, 1`` scores: see :attr:`.ColumnInfo.is_code`) get a classification tree,
the others a regression tree; a categorical column with more than
:data:`MAX_CLASSES` values gets a regression tree on its values ranked by frequency (the tree
only groups rows; donors are still real labels).

Missing values are synthesized too: in a discrete column missing is one more value; in a
numeric column with some missing values a tree first draws *whether* the value is missing,
then a second tree, fitted on the real rows where it is present, draws the value. Constant and
all-missing columns come out as they were (and are not used as predictors).

Visit order: ``visit_order`` names the columns to visit first (the rest follow in the table's
order); by default the target comes first, then the table's order, identifier-like labels
last (see :mod:`.identifiers`: they are drawn from their own attributes only, and no other
column is drawn given them). Sampling with conditions
visits the conditioned column first — its values are laid out with the exact counts asked
for, then every other column is drawn given it — so conditions never overwrite a synthesized
column (the trees for that order are fitted on first use and kept).

Leaves: a continuous column's leaves hold at least 5 donors (synthpop's ``minbucket``), a
discrete column's at least √n (see :func:`leaf_sizes`): its donors are its whole estimate of
the value's distribution, and leaves of 5 rows replay the real rows' combinations (on
Phishing, 75% of the synthetic rows were real rows, against 57% of unseen real rows). The
rows of one leaf take its donors in a shuffled round (balanced draws, see :mod:`.leaves`) for
discrete columns and the first column: the same law per row, less resampling noise.

With ``smoothing=True`` (the default) each donor of a continuous column — ``numeric``, or
``integer`` with many values, rounded afterwards — is moved by Gaussian noise of its leaf's
bandwidth (see :mod:`.leaves`), so on continuous data no synthetic row is a copy of a real
one; datetime and discrete values (codes kept as they are) stay real values. With
``redraw_uniques=True`` (the default) a synthetic row identical to a real row that no other
real row shares is drawn again (see :mod:`.copies`), so no real unique comes back verbatim.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=500)
>>> real = pd.DataFrame({"x": x, "y": np.where(x + rng.normal(0, .3, 500) > 0, "hi", "lo")})
>>> synth = CartSynthesizer().fit(real, target="y")
>>> rows = synth.sample(1000, conditions={"y": {"hi": 0.2, "lo": 0.8}}, seed=1)
>>> rows["y"].value_counts().to_dict()
{'lo': 800, 'hi': 200}
>>> bool(rows.loc[rows.y == "hi", "x"].mean() > 0 > rows.loc[rows.y == "lo", "x"].mean())
True

References
----------
Reiter, J. P. (2005). Using CART to generate partially synthetic public use microdata.
Journal of Official Statistics 21(3). Nowok, B., Raab, G. M., Dibben, C. (2016). synthpop:
Bespoke creation of synthetic data in R. Journal of Statistical Software 74(11).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from calmops.data_generators.synth.base import Conditions, check_fitted, check_sample_size
from calmops.data_generators.synth.columns import ColumnInfo, TableSchema, infer_schema
from calmops.data_generators.synth.conditions import check_conditions, exact_counts
from calmops.data_generators.synth.copies import replicated, unique_rows
from calmops.data_generators.synth.encoding import (
    condition_value,
    decode_table,
    encode_table,
    fixed_values,
    is_discrete,
    is_fixed,
)
from calmops.data_generators.synth.identifiers import identifier_attributes, predictors
from calmops.data_generators.synth.leaves import LeafDonors
from calmops.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_CLASSES", "MAX_REDRAWS", "MIN_DONORS", "CartSynthesizer", "leaf_sizes"]

MAX_CLASSES = 50
"""A categorical column with more values than this gets a regression tree on ranked codes."""
MIN_DONORS = 5
"""synthpop's ``minbucket``: the fewest donors in a leaf of a continuous column's tree."""
MAX_REDRAWS = 10
"""Rounds of redrawing replicated uniques; copies left after them are kept (rare: tiny
tables whose every possible row is a real unique)."""


@dataclass(frozen=True)
class _Step:
    """How one visited column is drawn: ``missing`` (present/missing) then ``value``."""

    column: str
    value: LeafDonors
    missing: LeafDonors | None = None
    whole: bool = False
    inputs: tuple[int, ...] = ()


class CartSynthesizer:
    """Sequential CART synthesis: each column drawn from leaf donors of a tree on the earlier ones.

    Parameters
    ----------
    visit_order : columns to visit first, in this order (the rest follow in the table's
        order); default: the target first, then the table's order.
    min_samples_leaf : the fewest real rows in a leaf, so the fewest donors a value is drawn
        from; default (None): 5 for continuous columns (synthpop's ``minbucket``), √n for
        discrete ones (see :func:`leaf_sizes`).
    smoothing : move continuous donors by their leaf's Gaussian kernel bandwidth.
    n_jobs : threads fitting the trees (default: one per core); the rows do not depend on it.
    redraw_uniques : redraw every synthetic row identical to a real row that is unique in
        the real table (see :mod:`.copies`), at most :data:`MAX_REDRAWS` rounds.
    """

    name: ClassVar[str] = "cart"

    def __init__(
        self,
        visit_order: Sequence[str] | None = None,
        min_samples_leaf: int | None = None,
        smoothing: bool = True,
        n_jobs: int | None = None,
        redraw_uniques: bool = True,
    ) -> None:
        self.visit_order = visit_order
        self.min_samples_leaf = min_samples_leaf
        self.smoothing = smoothing
        self.n_jobs = n_jobs
        self.redraw_uniques = redraw_uniques

    def fit(self, data: pd.DataFrame, target: str | None = None) -> CartSynthesizer:
        """Learn ``data``: its schema and the trees of the default visit order."""
        self._check_parameters()
        schema = infer_schema(data, target)
        self.values_ = encode_table(data, schema)
        visited = [c.name for c in schema.columns if not is_fixed(c)]
        labels = [c.name for c in schema.columns if c.kind == "categorical" and not is_fixed(c)]
        self.identifiers_ = identifier_attributes(self.values_, visited, labels)
        self.order_ = _visit_order(schema, self.visit_order, self.identifiers_)
        self.schema_ = schema
        self.leaf_sizes_ = leaf_sizes(self.min_samples_leaf, len(data))
        self.uniques_ = unique_rows(self.values_)
        self.chains_: dict[str, list[_Step]] = {}
        self._chain(self.order_)
        return self

    def _check_parameters(self) -> None:
        leaf, jobs = self.min_samples_leaf, self.n_jobs
        if leaf is not None and (isinstance(leaf, bool) or not isinstance(leaf, int) or leaf < 1):
            raise DataValidationError(
                f"min_samples_leaf must be a whole number ≥ 1 or None (got {leaf!r})"
            )
        for flag in ("smoothing", "redraw_uniques"):
            if not isinstance(getattr(self, flag), bool):
                raise DataValidationError(
                    f"{flag} must be true or false (got {getattr(self, flag)!r})"
                )
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)):
            raise DataValidationError(f"n_jobs must be a whole number or None (got {jobs!r})")

    def sample(
        self, n: int, conditions: Conditions | None = None, seed: int | None = None
    ) -> pd.DataFrame:
        """``n`` new rows; ``conditions`` gives one column exact shares (within one row)."""
        check_fitted(self)
        n = check_sample_size(n)
        conditions = check_conditions(conditions, self.schema_)
        rng = np.random.default_rng(seed)
        order = list(self.order_)
        first = None
        if conditions:
            column, shares = next(iter(conditions.items()))
            info = self.schema_.column(column)
            counts = exact_counts(shares, n)
            laid_out = np.repeat([condition_value(info, v) for v in counts], list(counts.values()))
            first = rng.permutation(laid_out)
            if column in order:  # drawn first, every other column given it
                order = [column] + [c for c in order if c != column]
        given = first if conditions and column in order else None
        out = self._draw(order, n, rng, given)
        if self.redraw_uniques:
            out = self._redraw_uniques(out, order, rng, given)
        if conditions and column not in order:  # a constant column: the same values
            out[column] = first
        return decode_table(out, self.schema_)

    def _redraw_uniques(
        self,
        out: dict[str, np.ndarray],
        order: list[str],
        rng: np.random.Generator,
        first: np.ndarray | None,
    ) -> dict[str, np.ndarray]:
        """``out`` with the copies of real uniques redrawn (the same conditioned values)."""
        names = self.schema_.names
        for _ in range(MAX_REDRAWS):
            copies = np.flatnonzero(replicated({c: out[c] for c in names}, self.uniques_))
            if copies.size == 0:
                break
            again = self._draw(order, copies.size, rng, None if first is None else first[copies])
            for name in names:
                out[name][copies] = again[name]
        return out

    def _chain(self, order: list[str]) -> list[_Step]:
        """The fitted steps of ``order`` (fitted on first use, then kept)."""
        key = "\x1f".join(order)
        if key not in self.chains_:
            self.chains_[key] = _fit_chain(
                self.values_,
                self.schema_,
                order,
                self.identifiers_,
                (self.leaf_sizes_, self.smoothing, self.n_jobs),
            )
        return self.chains_[key]

    def _draw(
        self, order: list[str], n: int, rng: np.random.Generator, first: np.ndarray | None
    ) -> dict[str, np.ndarray]:
        out = {c.name: fixed_values(c, n) for c in self.schema_.columns if is_fixed(c)}
        predictors = np.empty((n, len(order)), dtype=np.float32)
        for j, step in enumerate(self._chain(order)):
            if j == 0 and first is not None:
                values = first
            else:
                x = predictors[:, list(step.inputs)] if step.inputs else None
                values = _draw_step(step, x, rng, n)
            out[step.column] = values
            predictors[:, j] = _predictor(values, self.schema_.column(step.column))
        return out


def leaf_sizes(min_samples_leaf: int | None, n_rows: int) -> tuple[int, int]:
    """The fewest donors in a leaf of a (continuous, discrete) column's tree.

    ``None``: :data:`MIN_DONORS` for a continuous column (its donors are smoothed), and
    ``max(MIN_DONORS, round(√n))`` for a discrete one, whose leaf's donors are its whole
    estimate of the value's distribution (a leaf is an adaptive neighbourhood, and √n the
    usual number of neighbours); a number: that for both.

    Examples
    --------
    >>> leaf_sizes(None, 900), leaf_sizes(None, 10), leaf_sizes(8, 900)
    ((5, 30), (5, 5), (8, 8))
    """
    if min_samples_leaf is not None:
        return min_samples_leaf, min_samples_leaf
    return MIN_DONORS, max(MIN_DONORS, round(np.sqrt(n_rows)))


def _visit_order(
    schema: TableSchema, visit_order: Sequence[str] | None, identifiers: Mapping[str, object]
) -> list[str]:
    """The columns to visit (fixed ones left out): the given ones, the target, the rest, and
    identifier-like columns last (unless given)."""
    first = [str(c) for c in visit_order] if visit_order is not None else []
    if isinstance(visit_order, str):
        first = [visit_order]
    unknown = [c for c in first if c not in schema.names]
    if unknown or len(set(first)) != len(first):
        raise DataValidationError(
            f"visit_order must name distinct columns of the table (got {first}); "
            f"the table has {', '.join(schema.names)}"
        )
    if visit_order is None and schema.target is not None:
        first = [schema.target]
    rest = [c for c in schema.names if c not in first]
    ordered = (
        first + [c for c in rest if c not in identifiers] + [c for c in rest if c in identifiers]
    )
    return [c for c in ordered if not is_fixed(schema.column(c))]


def _predictor(values: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """A column as a tree predictor: datetimes in seconds from the earliest (float32-safe)."""
    if info.kind == "datetime" and info.low is not None:
        return (values - info.low) / 1e9
    return values


def _fit_chain(
    values: dict[str, np.ndarray],
    schema: TableSchema,
    order: list[str],
    identifiers: Mapping[str, tuple[str, ...]],
    settings: tuple[tuple[int, int], bool, int | None],
) -> list[_Step]:
    """The steps of ``order``; ``settings``: ((continuous, discrete) leaf sizes, smoothing,
    n_jobs)."""
    leaves, smoothing, n_jobs = settings
    if not order:
        return []
    real = np.column_stack([_predictor(values[c], schema.column(c)) for c in order])
    real = real.astype(np.float32)
    position = {c: j for j, c in enumerate(order)}

    def fit(j: int) -> _Step:
        column = order[j]
        inputs = tuple(position[c] for c in predictors(column, order[:j], identifiers))
        x = real[:, list(inputs)] if inputs else None
        step = _fit_step(values[column], schema.column(column), x, leaves, smoothing)
        return replace(step, inputs=inputs)

    # the trees do not depend on each other: fitted in threads (scikit-learn releases the
    # GIL while it grows a tree), the widest first; the result does not depend on n_jobs
    workers = n_jobs if n_jobs and n_jobs > 0 else os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(order)))) as pool:
        widest_first = list(pool.map(fit, reversed(range(len(order)))))
    return widest_first[::-1]


def _fit_step(
    y: np.ndarray,
    info: ColumnInfo,
    x: np.ndarray | None,
    leaves: tuple[int, int],
    smoothing: bool,
) -> _Step:
    min_samples_leaf, discrete_leaf = leaves
    smooth = smoothing and info.kind in ("numeric", "integer")  # codes are discrete
    missing = np.isnan(y)
    if is_discrete(info):
        codes = _ranked_codes(y)
        classify = len(np.unique(codes)) <= MAX_CLASSES
        value = LeafDonors.fit(x, codes, y, classify=classify, min_samples_leaf=discrete_leaf)
        return _Step(info.name, value)
    if x is None or not missing.any():
        filled = _predictor(np.where(missing, info.low or 0.0, y), info)
        value = LeafDonors.fit(
            x,
            filled,
            y,
            classify=False,
            min_samples_leaf=min_samples_leaf,
            smooth=smooth,
            balanced=x is None,
        )
        return _Step(info.name, value, whole=info.kind == "integer")
    is_missing = LeafDonors.fit(
        x, missing, missing.astype(float), classify=True, min_samples_leaf=discrete_leaf
    )
    present = ~missing
    value = LeafDonors.fit(
        x[present], _predictor(y[present], info), y[present], classify=False,
        min_samples_leaf=min_samples_leaf, smooth=smooth, balanced=False,
    )  # fmt: skip
    return _Step(info.name, value, missing=is_missing, whole=info.kind == "integer")


def _draw_step(step: _Step, x: np.ndarray | None, rng: np.random.Generator, n: int) -> np.ndarray:
    if step.missing is None:
        values = step.value.draw(x, rng, n)
    else:
        missing = step.missing.draw(x, rng, n) > 0.5
        values = np.full(n, np.nan)
        if (~missing).any():
            values[~missing] = step.value.draw(x[~missing], rng)
    return np.round(values) if step.whole else values


def _ranked_codes(y: np.ndarray) -> np.ndarray:
    """Labels for a tree: each value's rank by frequency (0 = most common), missing its own."""
    keys = np.where(np.isnan(y), np.inf, y)
    uniques, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    rank = np.empty(len(uniques), dtype=np.intp)
    rank[np.argsort(-counts, kind="stable")] = np.arange(len(uniques))
    return rank[inverse].astype(float)
