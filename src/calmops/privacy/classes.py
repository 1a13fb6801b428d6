"""Equivalence-class measures of a table: k-anonymity, l-diversity and rows at risk.

An equivalence class is the set of rows sharing one combination of quasi-identifier values
(missing counts as a value). The table is **k-anonymous** for the size of its smallest class;
it is **distinct l-diverse** for the fewest distinct sensitive values in a class, and
**entropy l-diverse** for ``exp`` of the lowest entropy of the sensitive values in a class
(an attacker who places a person in a class is left with at least that many equally likely
values). Rows **at risk** sit in classes smaller than the ``k`` asked for.

References
----------
Machanavajjhala et al., "l-diversity: privacy beyond k-anonymity", ACM TKDD 1(1), 2007.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from calmops.privacy.columns import check_columns
from calmops.privacy.suppress import class_sizes

__all__ = ["ClassSummary", "summarize_classes"]


@dataclass(frozen=True)
class ClassSummary:
    """The equivalence classes of one table over its quasi-identifiers."""

    quasi_identifiers: tuple[str, ...]
    k_required: int
    n_rows: int
    n_classes: int
    k_anonymity: int
    rows_at_risk: int
    classes_at_risk: int
    sensitive: str | None = None
    l_diversity: int | None = None
    entropy_l_diversity: float | None = None

    @property
    def share_at_risk(self) -> float:
        return self.rows_at_risk / self.n_rows if self.n_rows else 0.0

    @property
    def satisfies_k(self) -> bool:
        return self.n_rows > 0 and self.k_anonymity >= self.k_required

    def to_dict(self) -> dict[str, Any]:
        return {
            "quasi_identifiers": list(self.quasi_identifiers),
            "k_required": self.k_required,
            "n_rows": self.n_rows,
            "n_classes": self.n_classes,
            "k_anonymity": self.k_anonymity,
            "satisfies_k": self.satisfies_k,
            "rows_at_risk": self.rows_at_risk,
            "share_at_risk": self.share_at_risk,
            "classes_at_risk": self.classes_at_risk,
            "sensitive": self.sensitive,
            "l_diversity": self.l_diversity,
            "entropy_l_diversity": self.entropy_l_diversity,
        }


def _entropy(counts: pd.Series) -> float:
    shares = counts.to_numpy(dtype=float) / counts.sum()
    return float(-(shares * np.log(shares)).sum())


def summarize_classes(
    frame: pd.DataFrame,
    quasi_identifiers: list[str],
    k: int = 5,
    sensitive: str | None = None,
) -> ClassSummary:
    """The k-anonymity, l-diversity and rows at risk of ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"age": ["20s", "20s", "20s", "30s", "30s"],
    ...                       "disease": ["flu", "flu", "cold", "flu", "flu"]})
    >>> s = summarize_classes(frame, ["age"], k=3, sensitive="disease")
    >>> s.k_anonymity, s.rows_at_risk, s.l_diversity
    (2, 2, 1)
    """
    check_columns(frame, [*quasi_identifiers, *([sensitive] if sensitive else [])], "the report")
    sizes = class_sizes(frame, quasi_identifiers)
    keys = frame[quasi_identifiers].drop_duplicates()
    small = sizes < k
    at_risk_classes = frame.loc[small, quasi_identifiers].drop_duplicates()
    l_distinct = l_entropy = None
    if sensitive is not None and len(frame):
        grouped = frame.groupby(quasi_identifiers, dropna=False, sort=False, observed=True)
        values = grouped[sensitive]
        l_distinct = int(values.nunique(dropna=False).min())
        entropies = values.apply(lambda v: _entropy(v.value_counts(dropna=False)))
        l_entropy = float(np.exp(entropies.min()))
    return ClassSummary(
        quasi_identifiers=tuple(quasi_identifiers),
        k_required=k,
        n_rows=len(frame),
        n_classes=len(keys),
        k_anonymity=int(sizes.min()) if len(frame) else 0,
        rows_at_risk=int(small.sum()),
        classes_at_risk=len(at_risk_classes),
        sensitive=sensitive,
        l_diversity=l_distinct,
        entropy_l_diversity=l_entropy,
    )
