"""The result of :func:`~calmops.drift.compare`: per-feature drift, multivariate tests, data
quality, and the dataset-level decision.

``DriftReport.to_dict()`` schema (``schema_version`` 1); numbers that are not finite
become ``null``::

    {
      "schema_version": 1,
      "drift_detected": bool,            # the dataset-level decision
      "reason": str,                     # one sentence explaining it
      "settings": {"alpha": float, "correction": "none|bonferroni|holm|bh",
                   "drift_share": float, "dataset_rule": "any|share"},
      "n_reference": int, "n_current": int,   # rows
      "n_tested": int, "n_drifted": int, "n_warning": int, "share_drifted": float,
      "features": {
        "<column>": {
          "kind": "numeric|categorical|binary",
          "test": str, "statistic": float, "threshold": float,
          "p_value": float|null,         # corrected; null for distances
          "p_value_raw": float|null,     # before the multiple-testing correction
          "drift": bool,                 # significant and material
          "verdict": "no_drift|warning|drift",   # warning: only one of the two holds
                                         # (on a small sample, only significance warns)
          "small_sample": bool,          # <= 1000 rows on either side: distances are noisy
          "significance": {"test": str, "p_value": float, "alpha": float,
                           "significant": bool},  # corrected p-value
          "effect": {"name": str, "value": float, "threshold": float, "material": bool},
          "effect_sizes": {"wasserstein"|"psi"|"jensen_shannon": float, ...},
          "n_reference": int, "n_current": int,          # usable values
          "missing_reference": float, "missing_current": float,   # shares
          "distribution": {...}          # only when compare(distributions=True)
        }
      },
      "multivariate": {"mmd"|"classifier": {"method", "statistic", "p_value", "threshold",
                                            "drift", "verdict", "details"}},
      "quality": [{"kind", "column", "severity", "message", "details"}],
      "skipped": {"<column>": "reason it was not tested"}
    }
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calmops.drift import html as _html
from calmops.drift.base import DriftResult, Verdict, finite_or_none
from calmops.drift.quality import Finding
from calmops.drift.tabular import features_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SCHEMA_VERSION", "DriftReport", "FeatureDrift", "MultivariateResult"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class FeatureDrift:
    """The drift test of one column, with effect sizes beside the verdict."""

    name: str
    kind: str
    result: DriftResult
    p_value_raw: float | None
    effect_sizes: dict[str, float]
    n_reference: int
    n_current: int
    missing_reference: float
    missing_current: float
    distribution: dict[str, Any] | None = None
    significance: DriftResult | None = None
    effect: str = ""
    effect_size: float = float("nan")
    effect_threshold: float = float("nan")
    small_sample: bool = False

    test = property(lambda self: self.result.test, doc="Name of the test.")
    statistic = property(lambda self: self.result.statistic, doc="Test statistic or distance.")
    p_value = property(lambda self: self.result.p_value, doc="Corrected p-value, or None.")
    threshold = property(lambda self: self.result.threshold, doc="Alpha or distance threshold.")

    @property
    def significant(self) -> bool:
        """Whether the significance test rejected no-drift after the correction."""
        return (self.significance or self.result).drift

    @property
    def material(self) -> bool:
        """Whether the effect size reaches its materiality threshold."""
        return not self.effect or bool(self.effect_size >= self.effect_threshold)

    @property
    def drift(self) -> bool:
        """Whether the column drifted: significantly *and* materially."""
        return self.significant and self.material

    @property
    def verdict(self) -> Verdict:
        """``drift`` when it drifted; ``warning`` when only one of the two conditions holds
        (or the test is in its warning band); else ``no_drift``. On a small sample a distance
        past its threshold is expected noise, so there only significance warns."""
        if self.drift:
            return Verdict.DRIFT
        if self.significant:
            return Verdict.WARNING
        if self.small_sample:
            return Verdict.NO_DRIFT
        if (self.effect and self.material) or self.result.verdict is not Verdict.NO_DRIFT:
            return Verdict.WARNING
        return Verdict.NO_DRIFT

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (see the module docstring)."""
        out = {"kind": self.kind, **self.result.to_dict()}
        out["drift"], out["verdict"] = self.drift, self.verdict.value
        out["small_sample"] = self.small_sample
        sig = self.significance or self.result
        out["significance"] = {
            "test": sig.test,
            "p_value": finite_or_none(sig.p_value),
            "alpha": sig.threshold,
            "significant": self.significant,
        }
        out["effect"] = {
            "name": self.effect,
            "value": finite_or_none(self.effect_size),
            "threshold": finite_or_none(self.effect_threshold),
            "material": self.material,
        }
        out["p_value_raw"] = finite_or_none(self.p_value_raw)
        out["effect_sizes"] = {k: finite_or_none(v) for k, v in self.effect_sizes.items()}
        out.update(
            n_reference=self.n_reference,
            n_current=self.n_current,
            missing_reference=self.missing_reference,
            missing_current=self.missing_current,
        )
        if self.distribution is not None:
            out["distribution"] = self.distribution
        return out

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> FeatureDrift:
        """Read back :meth:`to_dict` (missing numbers become NaN)."""
        verdict = Verdict(data.get("verdict", "no_drift"))
        sig = data.get("significance") or {}
        effect = data.get("effect") or {}
        result = DriftResult(
            test=str(data.get("test", "")),
            statistic=_number(data.get("statistic")),
            p_value=data.get("p_value"),
            threshold=_number(data.get("threshold")),
            drift=bool(data.get("drift")),
            verdict=verdict,
        )
        significant = bool(sig.get("significant", data.get("drift")))
        return cls(
            name=name,
            kind=str(data.get("kind", "")),
            result=result,
            p_value_raw=data.get("p_value_raw"),
            effect_sizes={k: _number(v) for k, v in (data.get("effect_sizes") or {}).items()},
            n_reference=int(data.get("n_reference") or 0),
            n_current=int(data.get("n_current") or 0),
            missing_reference=float(data.get("missing_reference") or 0.0),
            missing_current=float(data.get("missing_current") or 0.0),
            distribution=data.get("distribution"),
            significance=DriftResult(
                test=str(sig.get("test", result.test)),
                statistic=float("nan"),
                p_value=sig.get("p_value", result.p_value),
                threshold=_number(sig.get("alpha", result.threshold)),
                drift=significant,
                verdict=Verdict.DRIFT if significant else Verdict.NO_DRIFT,
            ),
            effect=str(effect.get("name") or ""),
            effect_size=_number(effect.get("value")),
            effect_threshold=_number(effect.get("threshold")),
            small_sample=bool(data.get("small_sample")),
        )


@dataclass(frozen=True)
class MultivariateResult:
    """A test on all numeric columns at once (MMD or a domain classifier)."""

    method: str
    statistic: float
    p_value: float | None
    threshold: float
    drift: bool
    verdict: Verdict
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "method": self.method,
            "statistic": finite_or_none(self.statistic),
            "p_value": finite_or_none(self.p_value),
            "threshold": self.threshold,
            "drift": self.drift,
            "verdict": self.verdict.value,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MultivariateResult:
        """Read back :meth:`to_dict`."""
        return cls(
            method=str(data.get("method", "")),
            statistic=_number(data.get("statistic")),
            p_value=data.get("p_value"),
            threshold=_number(data.get("threshold")),
            drift=bool(data.get("drift")),
            verdict=Verdict(data.get("verdict", "no_drift")),
            details=dict(data.get("details") or {}),
        )


@dataclass(frozen=True)
class DriftReport:
    """Everything :func:`~calmops.drift.compare` found.

    In a notebook it shows itself as a table (``_repr_html_``); :meth:`to_frame` gives that
    table as a DataFrame, :meth:`save_html` a self-contained page with one plot per column,
    :meth:`to_dict` / :meth:`from_dict` its JSON form (what run reports store).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from calmops.drift import compare
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(size=2000), "y": rng.normal(size=2000)})
    >>> cur = pd.DataFrame({"x": rng.normal(0.5, size=2000), "y": rng.normal(size=2000)})
    >>> report = compare(ref, cur)
    >>> frame = report.to_frame()
    >>> frame["verdict"].to_dict(), frame.loc["x", "test"]
    ({'x': 'drift', 'y': 'no_drift'}, 'wasserstein')
    >>> DriftReport.from_dict(report.to_dict()).to_dict() == report.to_dict()
    True
    """

    drift_detected: bool
    reason: str
    features: dict[str, FeatureDrift]
    multivariate: dict[str, MultivariateResult]
    quality: tuple[Finding, ...]
    skipped: dict[str, str]
    alpha: float
    correction: str
    drift_share: float
    n_reference: int
    n_current: int
    dataset_rule: str = "any"

    @property
    def drifted(self) -> list[str]:
        """Names of the drifted columns."""
        return [name for name, f in self.features.items() if f.drift]

    @property
    def share_drifted(self) -> float:
        """Drifted columns over tested columns (0 when none was tested)."""
        return len(self.drifted) / len(self.features) if self.features else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a versioned schema (see the module docstring)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "drift_detected": self.drift_detected,
            "reason": self.reason,
            "settings": {
                "alpha": self.alpha,
                "correction": self.correction,
                "drift_share": self.drift_share,
                "dataset_rule": self.dataset_rule,
            },
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "n_tested": len(self.features),
            "n_drifted": len(self.drifted),
            "n_warning": sum(f.verdict is Verdict.WARNING for f in self.features.values()),
            "share_drifted": self.share_drifted,
            "features": {name: f.to_dict() for name, f in self.features.items()},
            "multivariate": {name: m.to_dict() for name, m in self.multivariate.items()},
            "quality": [finding.to_dict() for finding in self.quality],
            "skipped": dict(self.skipped),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftReport:
        """Read back :meth:`to_dict` (e.g. the ``drift`` section of a stored run report)."""
        settings = data.get("settings") or {}
        return cls(
            drift_detected=bool(data.get("drift_detected")),
            reason=str(data.get("reason", "")),
            features={
                name: FeatureDrift.from_dict(name, entry)
                for name, entry in (data.get("features") or {}).items()
            },
            multivariate={
                name: MultivariateResult.from_dict(entry)
                for name, entry in (data.get("multivariate") or {}).items()
            },
            quality=tuple(
                Finding(
                    kind=str(q.get("kind", "")),
                    column=q.get("column"),
                    severity=str(q.get("severity", "")),
                    message=str(q.get("message", "")),
                    details=dict(q.get("details") or {}),
                )
                for q in data.get("quality") or ()
            ),
            skipped=dict(data.get("skipped") or {}),
            alpha=float(settings.get("alpha", 0.05)),
            correction=str(settings.get("correction", "none")),
            drift_share=float(settings.get("drift_share", 0.5)),
            n_reference=int(data.get("n_reference") or 0),
            n_current=int(data.get("n_current") or 0),
            dataset_rule=str(settings.get("dataset_rule", "any")),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per tested column (index ``column``): test, statistic, corrected and raw
        p-values, threshold, effect size, significance, materiality, verdict, row counts."""
        return features_frame(self.to_dict()["features"])

    def save_html(self, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
        """Write a self-contained HTML page (plotly.js inlined, so it opens offline) and
        return its path. Plots per column need ``compare(..., distributions=True)``."""
        return _html.write_html(self, Path(path), title=title or "CalmOps drift report")

    def _repr_html_(self) -> str:
        """The verdict and the statistics table, for Jupyter."""
        return _html.render_summary(self.to_dict())


def _number(value: Any) -> float:
    """A stored number, NaN when it was not finite (written as null)."""
    return float("nan") if value is None else float(value)
