"""The privacy report of a released table against the original it came from.

It gathers: the equivalence classes of both tables over the named quasi-identifiers
(k-anonymity, l-diversity of a sensitive column, rows at risk), how close released rows are to
original ones (exact matches, near duplicates, distance to the closest record), and optionally
anonymeter's singling-out, linkability and inference risks. As JSON with :meth:`to_dict`, and
as one self-contained HTML page with :meth:`save_html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.errors import DataValidationError
from calmops.privacy.classes import ClassSummary, summarize_classes
from calmops.privacy.distance import Closeness, closeness
from calmops.privacy.summary import all_clear_sentence

__all__ = ["PrivacyReport", "privacy_report"]


@dataclass(frozen=True)
class PrivacyReport:
    """Everything the report measured; ``attacks`` is anonymeter's section (or why not)."""

    n_original: int
    n_released: int
    k: int
    closeness: Closeness
    released_classes: ClassSummary | None = None
    original_classes: ClassSummary | None = None
    attacks: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[str]:
        """Plain sentences on what needs attention (empty when nothing does)."""
        out = []
        classes = self.released_classes
        if classes is not None and not classes.satisfies_k:
            out.append(
                f"{classes.rows_at_risk} released rows ({classes.share_at_risk:.1%}) are in "
                f"classes smaller than k={self.k} (the smallest has {classes.k_anonymity})"
            )
        if classes is not None and classes.l_diversity == 1:
            out.append(
                f"some class has a single value of '{classes.sensitive}': "
                "membership reveals it (l-diversity 1)"
            )
        if self.closeness.exact_matches:
            out.append(
                f"{self.closeness.exact_matches} released rows equal an original row on "
                f"{len(self.closeness.columns)} compared columns"
            )
        if self.closeness.near_alert:
            out.append(
                f"{self.closeness.near_duplicates} released rows are within "
                f"{self.closeness.near_threshold:.3g} of an original row "
                f"({self.closeness.to_dict()['share_near']:.1%})"
            )
        return out

    @property
    def all_clear(self) -> str:
        """The sentence shown when there is no finding: what was checked, in numbers."""
        return all_clear_sentence(self.closeness.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_original": self.n_original,
            "n_released": self.n_released,
            "k": self.k,
            "findings": self.findings,
            "all_clear": None if self.findings else self.all_clear,
            "released_classes": self.released_classes.to_dict() if self.released_classes else None,
            "original_classes": self.original_classes.to_dict() if self.original_classes else None,
            "closeness": self.closeness.to_dict(),
            "attacks": self.attacks,
        }

    def save_html(self, path: str | Path, *, title: str = "CalmOps privacy report") -> Path:
        """Write the report as one self-contained HTML page (no network) and return the path."""
        from calmops.privacy.html import write_html

        return write_html(self.to_dict(), path, title=title)


def privacy_report(
    original: pd.DataFrame,
    released: pd.DataFrame,
    quasi_identifiers: list[str] | None = None,
    sensitive: str | None = None,
    *,
    k: int = 5,
    near_threshold: float | None = None,
    attacks: bool = False,
    control: pd.DataFrame | None = None,
    n_attacks: int = 500,
    seed: int = 0,
) -> PrivacyReport:
    """Measure the privacy of ``released`` against ``original``.

    Parameters
    ----------
    quasi_identifiers
        Columns an attacker may know (age band, zip, sex...); without them the class
        measures are left out. They must be in the released table.
    sensitive
        The column whose l-diversity is measured (a diagnosis, an income band).
    k
        The class size a row needs not to be "at risk".
    near_threshold
        DCR at or below which a released row is a near duplicate (default: the originals'
        5th-percentile distance to each other; see :func:`~calmops.privacy.closeness`).
    attacks
        Also run anonymeter's attacks (``control``: original rows held out of the release).

    Examples
    --------
    >>> import pandas as pd
    >>> original = pd.DataFrame({"age": [21, 25, 33, 38], "dx": ["a", "b", "a", "a"]})
    >>> released = pd.DataFrame({"age": ["20s", "20s", "30s", "30s"], "dx": ["a", "b", "a", "a"]})
    >>> report = privacy_report(original, released, ["age"], "dx", k=2)
    >>> report.released_classes.k_anonymity, report.released_classes.l_diversity
    (2, 1)
    >>> report.findings[0]
    "some class has a single value of 'dx': membership reveals it (l-diversity 1)"
    """
    released_classes, original_classes = _classes(
        original, released, quasi_identifiers, sensitive, k
    )
    near = closeness(original, released, near_threshold=near_threshold, seed=seed)
    section = (
        _attacks(original, released, quasi_identifiers, sensitive, control, n_attacks, seed)
        if attacks
        else {"available": None, "reason": "not requested (--anonymeter)"}
    )
    return PrivacyReport(
        n_original=len(original),
        n_released=len(released),
        k=k,
        closeness=near,
        released_classes=released_classes,
        original_classes=original_classes,
        attacks=section,
    )


def _classes(
    original: pd.DataFrame,
    released: pd.DataFrame,
    quasi_identifiers: list[str] | None,
    sensitive: str | None,
    k: int,
) -> tuple[ClassSummary | None, ClassSummary | None]:
    """The equivalence classes of the released table and, when it has the quasi-identifiers,
    of the original one (both None without quasi-identifiers)."""
    if k < 1:
        raise DataValidationError(f"k must be at least 1, got {k}")
    if quasi_identifiers and k > len(released):
        raise DataValidationError(f"k={k} is larger than the released table ({len(released)} rows)")
    released_classes = original_classes = None
    if quasi_identifiers:
        released_classes = summarize_classes(released, quasi_identifiers, k, sensitive)
        if all(q in original.columns for q in quasi_identifiers):
            keep = sensitive if sensitive in original.columns else None
            original_classes = summarize_classes(original, quasi_identifiers, k, keep)
    elif sensitive is not None:
        raise DataValidationError("l-diversity of --sensitive needs --quasi-identifiers")
    return released_classes, original_classes


def _attacks(
    original: pd.DataFrame,
    released: pd.DataFrame,
    quasi_identifiers: list[str] | None,
    sensitive: str | None,
    control: pd.DataFrame | None,
    n_attacks: int,
    seed: int,
) -> dict[str, Any]:
    """anonymeter's attack risks (imported only when asked for)."""
    from calmops.privacy.attacks import attack_risks

    return attack_risks(
        original, released, quasi_identifiers, sensitive,
        control=control, n_attacks=n_attacks, seed=seed,
    )  # fmt: skip
