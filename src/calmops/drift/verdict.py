"""The dataset verdict: one rule for p-value tests and distances.

Each column gets

- a **significance** test: the column's test when it yields a p-value, otherwise the
  p-value test of its kind (KS for numbers, chi-square for categories, z for binary), so a
  distance is never read without a check against sampling noise; the p-values of all
  columns are corrected together (``correction``) and compared with ``alpha``;
- an **effect size** with a materiality threshold: the column's test when it is a distance
  (its threshold), otherwise normed Wasserstein for numbers and Jensen-Shannon for
  categories (threshold from ``thresholds`` or the distance's default, 0.1).

A column *drifts* when it is both significant and material. The dataset drifts under
``dataset_rule="any"`` (the default) when any column drifts, under ``"share"`` when at
least ``drift_share`` of the tested columns drift; and under either rule when a requested
multivariate test detects drift. The report's ``reason`` names the rule and the columns,
the reference columns that could not be compared (absent from the current data), and, on a
small sample where distances pass their threshold by chance, that the p-value test decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from calmops.drift.report import FeatureDrift, MultivariateResult
from calmops.drift.selection import LARGE_REFERENCE

__all__ = ["DATASET_RULES", "dataset_verdict"]

#: dataset rules: any drifted column, or a share of them
DATASET_RULES = ("any", "share")


def dataset_verdict(
    features: Mapping[str, FeatureDrift],
    multi: Mapping[str, MultivariateResult],
    alpha: float,
    correction: str,
    drift_share: float,
    rule: str,
    *,
    not_compared: Sequence[str] = (),
    small_rows: int | None = None,
) -> tuple[bool, str]:
    """(drift detected, reason) of a dataset from its judged columns and multivariate tests.

    ``not_compared`` names the reference columns missing from the current data;
    ``small_rows`` is the size of a sample too small for distances (``None`` otherwise).

    Examples
    --------
    >>> dataset_verdict({}, {}, 0.05, "holm", 0.5, "any")
    (False, 'no drift: 0 of 0 columns drifted')
    >>> dataset_verdict({}, {}, 0.05, "holm", 0.5, "any", not_compared=["b"])[1]
    'no drift: 0 of 0 columns drifted; 1 of 1 columns could not be compared: b'
    """
    decision, reason = _verdict(features, multi, alpha, correction, drift_share, rule, small_rows)
    if not_compared:
        total = len(not_compared) + len(features)
        shown = ", ".join(not_compared[:5]) + (" ..." if len(not_compared) > 5 else "")
        reason += f"; {len(not_compared)} of {total} columns could not be compared: {shown}"
    return decision, reason


def _verdict(
    features: Mapping[str, FeatureDrift],
    multi: Mapping[str, MultivariateResult],
    alpha: float,
    correction: str,
    drift_share: float,
    rule: str,
    small_rows: int | None,
) -> tuple[bool, str]:
    drifted = [f for f in features.values() if f.drift]
    share = len(drifted) / len(features) if features else 0.0
    corrected = "uncorrected" if correction == "none" else f"{correction}-corrected"
    head = f"{len(drifted)} of {len(features)} columns drifted"
    if drifted:
        tests = ", ".join(sorted({f"{(f.significance or f.result).test}" for f in drifted}))
        effects = ", ".join(
            sorted({f"{f.effect} >= {f.effect_threshold:g}" for f in drifted if f.effect})
        )
        names = ", ".join(f.name for f in drifted[:5]) + (" ..." if len(drifted) > 5 else "")
        head += (
            f" significantly ({tests}, {corrected}, alpha {alpha:g}) and materially "
            f"({effects}): {names}"
        )
    if rule == "any" and drifted:
        return True, f"drift: {head} (rule any: one such column is enough)"
    if rule == "share" and features and share >= drift_share:
        return True, f"drift: {head}; share {share:.0%} >= {drift_share:.0%} (rule share)"
    multi_drift = [m for m in multi.values() if m.drift]
    if multi_drift:
        names = ", ".join(m.method for m in multi_drift)
        return True, f"drift: the multivariate test ({names}) detected it; {head}"
    if rule == "share":
        head += f"; share {share:.0%} < {drift_share:.0%} (rule share)"
    only_sig = sum(f.significant and not f.material for f in features.values())
    only_big = sum(f.material and not f.significant for f in features.values())
    tail = ""
    if only_sig:
        tail += f"; {only_sig} significant but below the materiality threshold"
    if only_big:
        tail += f"; {only_big} past the threshold but not significant ({corrected})"
        if small_rows is not None:
            tail += (
                f"; {small_rows} rows is a small sample (<= {LARGE_REFERENCE}): distances are "
                "noisy there, so the p-value test decides"
            )
    return False, f"no drift: {head}{tail}"
