"""``compare(reference, current)``: the drift report between a reference and a batch.

The reference is a DataFrame or a fitted :class:`~calmops.drift.Profile`; with a profile the
cost is O(current): each current column is summarised once (one sort, one pass of counts)
and tested against the stored reference summary. The current batch is a DataFrame, or a
profile of it fitted like the reference (:mod:`calmops.drift.current`) when it does not fit
in memory (:func:`calmops.drift.partitioned.compare_parquet`).

Each column is judged for significance and for a material effect size; the dataset verdict
follows one rule for every test (:mod:`calmops.drift.verdict`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift import correction as _correction
from calmops.drift.base import DriftResult, DriftTest
from calmops.drift.chooser import Chooser
from calmops.drift.current import CurrentFrame, CurrentProfile, current_batch
from calmops.drift.distribution import distribution
from calmops.drift.multivariate import standardise
from calmops.drift.profile import ColumnProfile, Profile
from calmops.drift.quality import Finding, no_common_columns, schema_findings
from calmops.drift.registry import MULTIVARIATE, TESTS
from calmops.drift.report import DriftReport, FeatureDrift, MultivariateResult
from calmops.drift.selection import P_VALUE_TESTS, is_small
from calmops.drift.sides import Side
from calmops.drift.verdict import DATASET_RULES, dataset_verdict
from calmops.errors import DataValidationError

__all__ = ["check_options", "compare", "reference_profile"]

#: effect sizes reported beside every verdict, by column kind; the first is the one judged
#: for materiality when the column's test yields a p-value
EFFECT_SIZES = {
    "numeric": ("wasserstein", "psi"),
    "categorical": ("jensen_shannon", "psi"),
    "binary": ("jensen_shannon", "psi"),
}


def compare(
    reference: pd.DataFrame | Profile,
    current: pd.DataFrame | Profile,
    *,
    numeric_test: str | None = None,
    categorical_test: str | None = None,
    binary_test: str | None = None,
    tests: Mapping[str, str] | None = None,
    thresholds: Mapping[str, float] | None = None,
    alpha: float = 0.05,
    correction: str = "holm",
    drift_share: float = 0.5,
    dataset_rule: str = "any",
    columns: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    multivariate: Iterable[str] = (),
    distributions: bool = False,
    seed: int = 0,
    on_column: Callable[[str], None] | None = None,
) -> DriftReport:
    """Test every column of ``current`` against the reference for drift.

    Parameters
    ----------
    reference
        The reference table, or its :class:`~calmops.drift.Profile` (fit once, reuse).
    current
        The batch to test, or its profile fitted like the reference's (same kinds, numbers on
        the reference's bin edges; see :func:`~calmops.drift.partitioned.compare_parquet`).
    numeric_test, categorical_test, binary_test
        Force a test for every column of that kind (default: see
        :mod:`calmops.drift.selection`). ``categorical_test`` also applies to binary
        columns unless ``binary_test`` is given.
    tests
        Force a test per column: ``{"age": "psi"}``; wins over the per-kind choice.
    thresholds
        Distance thresholds by test name, e.g. ``{"psi": 0.2}`` (p-value tests use alpha);
        also the materiality thresholds of the effect sizes.
    alpha
        Significance level of p-value tests, after the correction.
    correction
        ``none``, ``bonferroni``, ``holm`` or ``bh``, across the p-value tests.
    drift_share
        Under ``dataset_rule="share"``, the dataset drifts when at least this share of
        tested columns drift.
    dataset_rule
        ``any`` (a single significant and material column is dataset drift) or ``share``.
    columns, exclude
        Restrict the columns tested (e.g. exclude the target).
    multivariate
        Any of ``"mmd"`` and ``"classifier"`` (see :mod:`calmops.drift.multivariate`).
    distributions
        Also keep per-column histograms (for the HTML report).
    seed
        Seed of every random choice (profile samples, multivariate subsamples).
    on_column
        Called with each column name after it is tested (for progress bars).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> ref = pd.DataFrame({"x": rng.normal(size=800), "c": rng.choice(["a", "b"], 800)})
    >>> cur = pd.DataFrame({"x": rng.normal(0.5, size=800), "c": rng.choice(["a", "b"], 800)})
    >>> report = compare(ref, cur)
    >>> report.drift_detected, report.drifted, report.features["x"].test
    (True, ['x'], 'ks')
    """
    methods = _check_options(alpha, correction, multivariate, dataset_rule)
    batch = current_batch(current)
    excluded = {str(c) for c in exclude}
    wanted = None if columns is None else [str(c) for c in columns]
    profile = (
        reference
        if isinstance(reference, Profile)
        else reference_profile(reference, wanted, excluded, seed=seed)
    )
    chooser = Chooser(numeric_test, categorical_test, binary_test, tests, profile=profile)
    names = _tested_names(profile, wanted, excluded)
    arrived = [c for c in batch.columns if (wanted is None or c in wanted) and c not in excluded]
    if names and not set(names) & set(batch.columns):
        raise DataValidationError(no_common_columns(names, arrived))
    quality = schema_findings(names, [c for c in arrived if c not in profile.skipped])
    skipped = {n: r for n, r in profile.skipped.items() if n not in excluded}
    tested = _test_columns(
        profile, batch, names, chooser, skipped, quality,
        alpha=alpha, thresholds=thresholds or {}, distributions=distributions,
        on_column=on_column,
    )  # fmt: skip
    quality += chooser.findings()
    features = _corrected(tested, alpha, correction, batch.n_rows)
    multi = _multivariate(profile, batch, methods, alpha, seed)
    rows = min(profile.n_rows, batch.n_rows)
    decision, reason = dataset_verdict(
        features,
        multi,
        alpha,
        correction,
        drift_share,
        dataset_rule,
        not_compared=[n for n in names if n not in batch.columns],
        small_rows=rows if is_small(rows) else None,
    )
    return DriftReport(
        drift_detected=decision,
        reason=reason,
        features=features,
        multivariate=multi,
        quality=tuple(quality),
        skipped=skipped,
        alpha=alpha,
        correction=correction,
        drift_share=drift_share,
        n_reference=profile.n_rows,
        n_current=batch.n_rows,
        dataset_rule=dataset_rule,
    )


def _test_columns(
    profile: Profile,
    current: CurrentFrame | CurrentProfile,
    names: list[str],
    chooser: Chooser,
    skipped: dict[str, str],
    quality: list[Finding],
    *,
    alpha: float,
    thresholds: dict[str, float],
    distributions: bool,
    on_column: Callable[[str], Any] | None,
) -> dict[str, _Tested]:
    """Test each named column; columns that cannot be are added to ``skipped`` with the
    reason, and each column's quality findings to ``quality``."""
    tested: dict[str, _Tested] = {}
    for name in names:
        if name not in current.columns:
            skipped[name] = "missing from the current data"
            continue
        column = profile.columns[name]
        side, findings = current.side(column)
        quality += findings
        if column.side.n == 0:
            skipped[name] = "no usable values in the reference"
        elif side.n == 0:
            skipped[name] = "no usable values in the current data"
        else:
            test = chooser.test_for(column, side.n)
            tested[name] = _test_column(test, column, side, alpha, thresholds)
            if distributions:
                tested[name] = replace(tested[name], distribution=distribution(column.side, side))
        if on_column is not None:
            on_column(name)
    return tested


def reference_profile(
    reference: pd.DataFrame,
    columns: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    *,
    seed: int = 0,
) -> Profile:
    """The profile :func:`compare` fits from a reference table: the columns to test, with
    every value kept, so the tests see the full data (fit it first to time or show the
    step; ``compare`` on it gives the same report as on the table).

    Examples
    --------
    >>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "a"]})
    >>> list(reference_profile(ref, exclude=["y"]).columns)
    ['x']
    """
    wanted = None if columns is None else [str(c) for c in columns]
    excluded = {str(c) for c in exclude}
    return Profile.fit(_select(reference, wanted, excluded, "reference"), cap=None, seed=seed)


@dataclass(frozen=True)
class _Tested:
    """One column's raw outcome, before the multiple-testing correction."""

    column: ColumnProfile
    side: Side
    result: DriftResult
    effects: dict[str, float]
    significance: DriftResult
    effect: tuple[str, float, float]  # name, value, materiality threshold
    distribution: dict[str, Any] | None = None


def _test_column(
    test: DriftTest,
    column: ColumnProfile,
    side: Side,
    alpha: float,
    thresholds: Mapping[str, float],
) -> _Tested:
    """Run the column's test, its significance test and its effect size (see the module
    docstring for which is which)."""
    threshold = alpha if test.yields == "p_value" else thresholds.get(test.name)
    result = test(column.side, side, threshold=threshold)
    effects = _effect_sizes(column, side, result)
    if test.yields == "p_value":
        significance = result
        name = EFFECT_SIZES[column.kind][0]
        limit = thresholds.get(name, TESTS.get(name).default_threshold)
        effect = (name, effects[name], float(limit))
    else:
        companion = TESTS.get(P_VALUE_TESTS[column.kind])
        significance = companion(column.side, side, threshold=alpha)
        effect = (test.name, result.statistic, result.threshold)
    return _Tested(column, side, result, effects, significance, effect)


def check_options(profile: Profile, **options: Any) -> None:
    """Fail as :func:`compare` would on ``options`` (an unknown option, test, correction or
    rule, an alpha out of range) without any current data: before a long read.

    >>> check_options(Profile.fit(pd.DataFrame({"x": [1.0, 2.0, 3.0]})), alpha=1.5)
    Traceback (most recent call last):
    ...
    calmops.errors.DataValidationError: alpha must be between 0 and 1, got 1.5
    """
    known = set(inspect.signature(compare).parameters) - {"reference", "current"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"compare() got an unexpected keyword argument {unknown[0]!r}")
    _check_options(
        options.get("alpha", 0.05),
        options.get("correction", "holm"),
        options.get("multivariate", ()),
        options.get("dataset_rule", "any"),
    )
    Chooser(
        options.get("numeric_test"),
        options.get("categorical_test"),
        options.get("binary_test"),
        options.get("tests"),
        profile=profile,
    )


def _check_options(
    alpha: float, correction: str, multivariate: Iterable[str], dataset_rule: str
) -> tuple[str, ...]:
    if dataset_rule not in DATASET_RULES:
        raise DataValidationError(
            f"dataset rule {dataset_rule!r}; choose from {', '.join(DATASET_RULES)}"
        )
    _correction.CORRECTIONS.check(correction)
    if not 0 < alpha < 1:
        raise DataValidationError(f"alpha must be between 0 and 1, got {alpha}")
    methods = tuple(dict.fromkeys(multivariate))
    for method in methods:
        MULTIVARIATE.check(method)
    return methods


def _tested_names(profile: Profile, wanted: list[str] | None, excluded: set[str]) -> list[str]:
    if wanted is not None:
        unknown = [n for n in wanted if n not in profile.columns and n not in profile.skipped]
        if unknown:
            raise DataValidationError(f"columns not in the reference: {', '.join(unknown)}")
    return [n for n in profile.columns if (wanted is None or n in wanted) and n not in excluded]


def _select(df: Any, wanted: list[str] | None, excluded: set[str], which: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise DataValidationError(
            f"the {which} must be a pandas DataFrame or a Profile, got {type(df).__name__}"
        )
    df = df.rename(columns=str)
    keep = [c for c in df.columns if (wanted is None or c in wanted) and c not in excluded]
    return df[keep]


def _effect_sizes(column: ColumnProfile, side: Side, result: DriftResult) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in EFFECT_SIZES[column.kind]:
        same = name == result.test
        out[name] = result.statistic if same else TESTS.get(name)(column.side, side).statistic
    return out


def _corrected(
    tested: Mapping[str, _Tested], alpha: float, correction: str, n_rows: int
) -> dict[str, FeatureDrift]:
    """Correct the significance p-values of all columns together, then build the features."""
    names = list(tested)
    raw = [tested[n].significance.p_value for n in names]
    adjusted = _correction.adjust([1.0 if p is None else p for p in raw], correction)
    features: dict[str, FeatureDrift] = {}
    for name, p in zip(names, adjusted.tolist(), strict=True):
        item = tested[name]
        sig = item.significance
        significance = DriftResult.decide(sig.test, sig.statistic, p, alpha)
        final = significance if item.result.p_value is not None else item.result
        effect, size, limit = item.effect
        features[name] = FeatureDrift(
            name=name,
            kind=item.column.kind,
            result=final,
            p_value_raw=item.result.p_value,
            effect_sizes=item.effects,
            n_reference=item.column.side.n,
            n_current=item.side.n,
            missing_reference=item.column.missing_rate,
            missing_current=item.side.n_missing / n_rows,
            distribution=item.distribution,
            significance=significance,
            effect=effect,
            effect_size=size,
            effect_threshold=limit,
            small_sample=is_small(item.column.side.n, item.side.n),
        )
    return features


def _multivariate(
    profile: Profile,
    current: CurrentFrame | CurrentProfile,
    methods: tuple[str, ...],
    alpha: float,
    seed: int,
) -> dict[str, MultivariateResult]:
    if not methods:
        return {}
    names = [n for n in profile.row_sample_columns if n in current.columns]
    if not names or len(profile.row_sample) < 2:
        raise DataValidationError(
            "multivariate drift needs numeric columns present on both sides "
            "(and a profile with a row sample)"
        )
    index = [profile.row_sample_columns.index(n) for n in names]
    sides = [profile.columns[n].side for n in names]
    mean = np.array([s.mean for s in sides])
    std = np.array([s.std for s in sides])
    x = standardise(profile.row_sample[:, index], mean, std)
    y = standardise(current.rows(names, seed), mean, std)
    return {m: MULTIVARIATE.get(m).run(x, y, alpha=alpha, seed=seed) for m in methods}
