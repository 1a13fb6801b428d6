"""The headline numbers of an evaluation: what each measures and which direction is good
(shown by the CLI table and the HTML page)."""

from __future__ import annotations

__all__ = ["HEADLINES"]

HEADLINES: dict[str, tuple[str, str]] = {
    "fidelity.column_shape": (
        "each column's distribution: 1 − KS (numeric) or 1 − TV (categorical)",
        "higher is better, 1 = identical",
    ),
    "fidelity.column_pairs": (
        "pairs of columns: 1 − |Δ correlation|/2 (numeric) or 1 − TV of contingency tables",
        "higher is better, 1 = identical",
    ),
    "detection.auc": (
        "ROC AUC of a classifier telling real rows from synthetic ones",
        "0.5 is best (indistinguishable), 1 = always told apart",
    ),
    "utility.trtr": (
        "model trained on real rows, scored on the holdout",
        "the reference for tstr",
    ),
    "utility.tstr": (
        "model trained on synthetic rows, scored on the holdout",
        "higher is better, close to trtr = as useful as real",
    ),
    "privacy.exact_copies": (
        "share of synthetic rows identical to a training row",
        "lower is better; compare with the holdout's own rate",
    ),
    "privacy.dcr_closer_to_train": (
        "share of synthetic rows nearer a training row than a holdout row",
        "0.5 is best (no memorization), 1 = copies",
    ),
    "privacy.dcr_5th_percentile": (
        "5th percentile of the distance to the closest training row",
        "near the holdout's figure is good, 0 = copies",
    ),
}
"""What each headline number means, and which direction is good (for tables and pages)."""
