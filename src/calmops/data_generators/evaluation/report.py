"""The result of :func:`~calmops.data_generators.evaluate`: headline numbers and details.

``to_dict()`` nests the headline numbers as ``fidelity.column_shape``,
``fidelity.column_pairs``, ``detection.auc``, ``utility.trtr``, ``utility.tstr``,
``privacy.exact_copies``, ``privacy.dcr_closer_to_train`` and ``privacy.dcr_5th_percentile``,
with per-column (``fidelity.columns``) and per-pair (``fidelity.pairs``) scores and the
holdout's own figures beside them. ``save_html(path)`` writes a self-contained page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calmops.data_generators.evaluation.detection import Detection
from calmops.data_generators.evaluation.fidelity import Fidelity
from calmops.data_generators.evaluation.headlines import HEADLINES
from calmops.data_generators.evaluation.privacy import Privacy
from calmops.data_generators.evaluation.utility import Utility
from calmops.drift.base import finite_or_none

__all__ = ["HEADLINES", "EvaluationReport"]


@dataclass(frozen=True)
class EvaluationReport:
    """Fidelity, detection, utility (``None`` without target and holdout) and privacy of a
    synthetic table against the real one."""

    fidelity: Fidelity
    detection: Detection
    privacy: Privacy
    utility: Utility | None
    rows: dict[str, int | None]
    seed: int
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def headline(self) -> dict[str, float | None]:
        """The eight headline numbers by dotted key (``None`` where not measured)."""
        data = self.to_dict()
        return {key: data[key.split(".")[0]][key.split(".")[1]] for key in HEADLINES}

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (NaN and infinities as ``None``)."""
        f, d, p, u = self.fidelity, self.detection, self.privacy, self.utility
        return {
            "fidelity": {
                "column_shape": finite_or_none(f.column_shape),
                "column_pairs": finite_or_none(f.column_pairs),
                "columns": {
                    c.column: {
                        "kind": c.kind,
                        "metric": c.metric,
                        "statistic": finite_or_none(c.statistic),
                        "score": finite_or_none(c.score),
                    }
                    for c in f.columns
                },
                "pairs": [
                    {
                        "columns": [pair.left, pair.right],
                        "metric": pair.metric,
                        "score": finite_or_none(pair.score),
                        "real": finite_or_none(pair.real),
                        "synthetic": finite_or_none(pair.synthetic),
                    }
                    for pair in f.pairs
                ],
            },
            "detection": {
                "auc": finite_or_none(d.auc),
                "fold_aucs": [finite_or_none(a) for a in d.fold_aucs],
                "rows_per_side": d.rows_per_side,
                "model": d.model,
            },
            "utility": {
                "trtr": finite_or_none(u.trtr) if u else None,
                "tstr": finite_or_none(u.tstr) if u else None,
                "target": u.target if u else None,
                "task": u.task if u else None,
                "metric": u.metric if u else None,
            },
            "privacy": {
                "exact_copies": p.exact_copies,
                "dcr_closer_to_train": finite_or_none(p.dcr_closer_to_train),
                "dcr_5th_percentile": finite_or_none(p.dcr_5th_percentile),
                "holdout_exact_copies": finite_or_none(p.holdout_exact_copies),
                "holdout_dcr_5th_percentile": finite_or_none(p.holdout_dcr_5th_percentile),
            },
            "rows": dict(self.rows),
            "seed": self.seed,
        }

    def save_html(self, path: str | Path, *, title: str = "CalmOps synthetic data report") -> Path:
        """Write the report as one self-contained HTML page (atomically); return the path."""
        from calmops.atomic import atomic_write_text
        from calmops.data_generators.evaluation.html import render_html

        target = Path(path)
        atomic_write_text(target, render_html(self.to_dict(), self.distributions, title=title))
        return target
