"""Target and prediction drift: a model's outputs (or the labels) against their reference.

A prior shift (fewer rows of some classes) can leave every feature looking stable while the
predicted class shares and the labels move. This module compares one-, two-column tables of
outputs with the profile of the same table at training time, with the machinery of
:func:`~calmops.drift.compare` (same significance tests, multiple-testing correction,
effect sizes and materiality thresholds as data drift):

- **predictions of a classifier**: the predicted class (``chi2`` test on the class shares, or
  ``z`` with two classes; Jensen-Shannon as effect size) and, with probabilities, the
  probability of the positive class (binary) or of the predicted class (multiclass), by
  ``ks`` (normed Wasserstein as effect size);
- **predictions of a regressor**: the predicted values (``ks``, normed Wasserstein);
- **labels**: the class (classification) or the target values (regression), the same way.

On more than 1,000 rows a side the verdict reads the distance first, as data drift does
(:mod:`calmops.drift.selection`); a column drifts when it is significant after the
correction *and* material. Every result carries a sentence naming what moved and how much.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from calmops.drift.compare import compare
from calmops.drift.profile import Profile
from calmops.drift.report import FeatureDrift
from calmops.drift.sides import CategoricalSide, as_labels

__all__ = [
    "OutputDrift",
    "OutputTest",
    "compare_outputs",
    "label_frame",
    "output_profile",
    "prediction_frame",
]

PREDICTION = "predicted class"
VALUE = "prediction"
LABEL = "label"
_TEST_NAMES = {"chi2": "chi-square", "z": "Z test", "ks": "KS"}
_EFFECT_NAMES = {"jensen_shannon": "Jensen-Shannon", "wasserstein": "normed Wasserstein"}


def prediction_frame(
    predictions: Any,
    task: str,
    *,
    proba: np.ndarray | None = None,
    classes: Any = None,
    positive: Any = None,
) -> pd.DataFrame:
    """The table of a model's outputs that prediction drift compares.

    A classifier gives the column ``predicted class`` and, with ``proba`` (one column per
    class of ``classes``), ``probability of <positive>`` for two classes or ``probability of
    the predicted class`` for more; a regressor gives ``prediction``.

    Examples
    --------
    >>> proba = np.array([[0.8, 0.2], [0.3, 0.7]])
    >>> prediction_frame([0, 1], "classification", proba=proba, classes=[0, 1], positive=1)
       predicted class  probability of 1
    0                0               0.2
    1                1               0.7
    """
    if task != "classification":
        return pd.DataFrame({VALUE: np.asarray(predictions, dtype="float64")})
    frame = pd.DataFrame({PREDICTION: as_labels(np.asarray(predictions)).to_numpy()})
    if proba is None or classes is None:
        return frame
    proba = np.asarray(proba, dtype="float64")
    names = as_labels(np.asarray(classes)).tolist()
    if len(names) == 2 and positive is not None and str(as_labels([positive])[0]) in names:
        key = str(as_labels([positive])[0])
        frame[f"probability of {key}"] = proba[:, names.index(key)]
    else:
        frame["probability of the predicted class"] = proba.max(axis=1)
    return frame


def label_frame(labels: Any, task: str) -> pd.DataFrame:
    """The table of labels that label drift compares: one column ``label``.

    Examples
    --------
    >>> label_frame([1.0, 0.0], "classification")["label"].tolist()
    ['1', '0']
    """
    if task != "classification":
        return pd.DataFrame({LABEL: np.asarray(labels, dtype="float64")})
    return pd.DataFrame({LABEL: as_labels(np.asarray(labels)).to_numpy()})


def output_profile(frame: pd.DataFrame, *, seed: int = 0) -> Profile:
    """The reference profile of a :func:`prediction_frame` or :func:`label_frame`: classes
    are categories (binary with two), numbers are numeric; every value is kept.

    Examples
    --------
    >>> profile = output_profile(label_frame([0, 1, 2, 1], "classification"))
    >>> profile.columns["label"].kind, profile.columns["label"].side.as_dict()
    ('categorical', {'0': 1, '1': 2, '2': 1})
    """
    kinds = {}
    for name in frame.columns:
        if name in (PREDICTION, LABEL) and not pd.api.types.is_float_dtype(frame[name].dtype):
            distinct = frame[name].dropna().nunique()
            kinds[name] = "binary" if distinct == 2 else "categorical"
        else:
            kinds[name] = "numeric"
    return Profile.fit(frame, kinds=kinds, cap=None, seed=seed)


@dataclass(frozen=True)
class OutputTest:
    """One column's verdict: the significance test, the effect size and what moved."""

    column: str
    test: str
    statistic: float
    p_value: float | None  # after the correction
    effect: str
    effect_size: float
    effect_threshold: float
    drift: bool
    before: float  # the share of ``category`` (classes) or the mean (numbers)
    after: float
    category: str | None
    sentence: str


@dataclass(frozen=True)
class OutputDrift:
    """Drift of predictions or labels: the verdict, one sentence, and each column's test."""

    what: str  # prediction | label
    drift: bool
    summary: str
    tests: tuple[OutputTest, ...]
    n_reference: int
    n_current: int
    alpha: float
    correction: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (kept as the signal's details)."""
        out = asdict(self)
        out["tests"] = [asdict(t) for t in self.tests]
        return out


def compare_outputs(
    reference: Profile,
    current: pd.DataFrame,
    what: str = "prediction",
    *,
    alpha: float = 0.05,
    correction: str = "holm",
    seed: int = 0,
) -> OutputDrift:
    """Compare outputs (``what="prediction"``) or labels (``"label"``) with their reference.

    Columns of ``current`` that the reference lacks (e.g. probabilities of a model that had
    none at training time) are left out; the p-values of the compared columns are corrected
    together.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> before = label_frame(rng.choice([0, 1], 2000, p=[0.88, 0.12]), "classification")
    >>> after = label_frame(rng.choice([0, 1], 500, p=[0.59, 0.41]), "classification")
    >>> result = compare_outputs(output_profile(before), after, "label")
    >>> result.drift
    True
    >>> print(result.tests[0].sentence)
    share of class 1 in the labels rose from 0.12 to 0.40 (Z test p<0.001, Jensen-Shannon 0.23)
    """
    columns = [c for c in current.columns if c in reference.columns]
    if not columns:
        summary = f"no {what} column in common with the reference"
        return OutputDrift(
            what, False, summary, (), reference.n_rows, len(current), alpha, correction
        )
    report = compare(
        reference,
        current[columns],
        alpha=alpha,
        correction=correction,
        dataset_rule="any",
        seed=seed,
    )
    tests = tuple(
        _judged(reference, current[name], report.features[name], what)
        for name in columns
        if name in report.features
    )
    return OutputDrift(
        what=what,
        drift=any(t.drift for t in tests),
        summary=_summary(what, tests, alpha, correction),
        tests=tests,
        n_reference=reference.n_rows,
        n_current=len(current),
        alpha=alpha,
        correction=correction,
    )


def _judged(reference: Profile, values: pd.Series, feature: FeatureDrift, what: str) -> OutputTest:
    side = reference.columns[feature.name].side
    significance = feature.significance or feature.result
    if isinstance(side, CategoricalSide):
        shares = _shares(side, CategoricalSide.from_values(values))
        category = _largest_change(shares)
        before, after = shares[category]
        noun = "predicted share of class" if what == "prediction" else "share of class"
        where = "" if what == "prediction" else " in the labels"
        text = f"{noun} {category}{where} {_moved(before, after)}"
        opposite = _largest_change(shares, sign=-np.sign(after - before))
        if len(shares) > 2 and opposite is not None:  # a prior shift moves classes both ways
            text += f" and of class {opposite} {_moved(*shares[opposite])}"
    else:
        category, before = None, float(side.mean)
        after = float(pd.to_numeric(values, errors="coerce").mean())
        noun = "mean of the labels" if feature.name == LABEL else f"mean {feature.name}"
        text = f"{noun} {_moved(before, after)}"
    evidence = f"{_TEST_NAMES.get(significance.test, significance.test)} {_p(significance)}"
    if feature.effect:
        evidence += f", {_EFFECT_NAMES.get(feature.effect, feature.effect)} "
        evidence += f"{_fmt(feature.effect_size)}"
    return OutputTest(
        column=feature.name,
        test=significance.test,
        statistic=float(significance.statistic),
        p_value=significance.p_value,
        effect=feature.effect,
        effect_size=float(feature.effect_size),
        effect_threshold=float(feature.effect_threshold),
        drift=bool(feature.drift),
        before=before,
        after=after,
        category=category,
        sentence=f"{text} ({evidence})",
    )


def _shares(reference: CategoricalSide, current: CategoricalSide) -> dict[str, tuple]:
    """Each category's share before and after."""
    before, after = reference.as_dict(), current.as_dict()
    n_before, n_after = max(reference.n, 1), max(current.n, 1)
    return {
        c: (before.get(c, 0) / n_before, after.get(c, 0) / n_after)
        for c in sorted(set(before) | set(after))
    }


def _largest_change(shares: dict[str, tuple], sign: float = 0.0) -> str | None:
    """The category whose share moved most (only upward with ``sign`` 1, downward with -1;
    ties: the rarer one, so two classes name the minority, often the positive)."""
    moved = {c: b - a for c, (a, b) in shares.items() if sign == 0 or np.sign(b - a) == sign}
    if not moved:
        return None
    return max(moved, key=lambda c: (round(abs(moved[c]), 12), -shares[c][0]))


def _moved(before: float, after: float) -> str:
    if after == before:
        return f"stayed at {_fmt(after)}"
    return f"{'rose' if after > before else 'fell'} from {_fmt(before)} to {_fmt(after)}"


def _summary(what: str, tests: tuple[OutputTest, ...], alpha: float, correction: str) -> str:
    subject = "predictions" if what == "prediction" else "labels"
    if not tests:
        return f"no {subject} to compare"
    settings = f"{correction} correction, alpha {alpha:g}"
    drifted = [t.sentence for t in tests if t.drift]
    if drifted:
        return f"{subject} drifted ({settings}): " + "; ".join(drifted)
    against = "the reference predictions" if what == "prediction" else "the training labels"
    quiet = "; ".join(
        f"{t.column} {_TEST_NAMES.get(t.test, t.test)} {_p_value(t.p_value)}" for t in tests
    )
    return f"{subject} match {against} ({quiet}; {settings})"


def _p(result: Any) -> str:
    return _p_value(result.p_value)


def _p_value(p: float | None) -> str:
    if p is None:
        return "p n/a"
    return "p<0.001" if p < 0.001 else f"p={p:.2g}" if p < 0.1 else f"p={p:.2f}"


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    return f"{x:.2f}" if abs(x) < 1000 else f"{x:,.0f}"
