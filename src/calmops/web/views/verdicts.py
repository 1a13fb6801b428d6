"""Drift as the pages show it: a drifted feature is never green.

A run's data drift has three states, not two: ``drift`` (the dataset rule fired: red),
``features`` (some features drifted, or a distance passed its threshold, but the dataset rule
did not fire: amber, with the rule beside it) and ``ok`` (nothing moved: green). The same
state feeds the overview, the runs table and the Drift tab.

Per feature (``drift/report.py``): ``drift`` when significant and material; ``warning`` when
only one holds; and a distance past its threshold on a small sample, which the drift report
calls ``no_drift`` (noise is expected there), is shown amber as "past threshold".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calmops.store import RunRecord
from calmops.web.sections import badge

__all__ = ["DriftState", "feature_state", "run_drift", "state_of_report"]


@dataclass(frozen=True)
class DriftState:
    """The data drift of one run as a page shows it."""

    state: str  # "drift" | "features" | "ok"
    drifted: tuple[str, ...] = ()  # features that drifted (significant and material)
    warned: tuple[str, ...] = ()  # features with a warning or past their threshold
    rule: str = ""  # the dataset rule, in words

    @property
    def tone(self) -> str:
        return {"drift": "bad", "features": "warn"}.get(self.state, "ok")

    @property
    def text(self) -> str:
        """A short badge text: "drift", "x0 drifted", "warning: x1", "no drift"."""
        if self.state == "drift":
            return "drift"
        if self.drifted:
            shown = ", ".join(self.drifted[:3]) + (" …" if len(self.drifted) > 3 else "")
            return f"{shown} drifted"
        if self.warned:
            return "warning: " + ", ".join(self.warned[:3]) + (" …" if len(self.warned) > 3 else "")
        return "no drift"

    @property
    def short_rule(self) -> str:
        """The dataset rule in a few words: "rule ≥ 50%", "rule: any"."""
        return (
            self.rule.replace("dataset rule: drift when ≥ ", "rule ≥ ")
            .replace(" of features drift", "")
            .replace("dataset rule: any drifted feature", "rule: any")
        )

    def badge(self) -> dict[str, str]:
        """The badge of this state, with the dataset rule beside the text when amber."""
        text = self.text if self.state != "features" else f"{self.text} · {self.short_rule}"
        return {"badge": text, "tone": self.tone}

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "drifted": list(self.drifted), "warned": list(self.warned),
                "rule": self.rule, "short_rule": self.short_rule, "text": self.text,
                "tone": self.tone}  # fmt: skip


def feature_state(entry: dict[str, Any]) -> tuple[str, str]:
    """``(state, words)`` of one feature of a drift report: drift, warning or no_drift.

    >>> feature_state({"drift": True, "verdict": "drift"})
    ('drift', 'drift')
    >>> feature_state({"drift": False, "verdict": "no_drift", "small_sample": True,
    ...                "effect": {"value": 0.63, "threshold": 0.1, "material": True}})
    ('warning', 'past threshold (small sample, not significant)')
    >>> feature_state({"drift": False, "verdict": "no_drift"})
    ('no_drift', 'no drift')
    """
    if entry.get("drift"):
        return "drift", "drift"
    if entry.get("verdict") == "warning":
        return "warning", "warning"
    effect = entry.get("effect") or {}
    past = bool(effect.get("material")) and effect.get("value") is not None
    statistic, threshold = entry.get("statistic"), entry.get("threshold")
    if entry.get("p_value") is None and statistic is not None and threshold:
        past = past or statistic >= threshold
    if past:
        return "warning", "past threshold (small sample, not significant)"
    return "no_drift", "no drift"


def feature_badge(entry: dict[str, Any]) -> dict[str, str]:
    """The verdict badge of one feature (amber at least for a feature past its threshold)."""
    state, words = feature_state(entry)
    return badge(state, words)


def rule_words(settings: dict[str, Any] | None, rule: str | None = None) -> str:
    """The dataset rule in words.

    >>> rule_words({"dataset_rule": "share", "drift_share": 0.5})
    'dataset rule: drift when ≥ 50% of features drift'
    >>> rule_words({"dataset_rule": "any"})
    'dataset rule: any drifted feature'
    """
    settings = settings or {}
    rule = rule or settings.get("dataset_rule") or "any"
    if rule == "share":
        share = settings.get("drift_share")
        shown = f"{share:.0%}" if share is not None else "a share"
        return f"dataset rule: drift when ≥ {shown} of features drift"
    return "dataset rule: any drifted feature"


def state_of_report(drift: dict[str, Any] | None) -> DriftState | None:
    """The state of a run report's ``drift`` section (None when nothing was tested)."""
    if not drift or not drift.get("features"):
        return None
    drifted, warned = [], []
    for name, entry in drift["features"].items():
        state, _ = feature_state(entry)
        (drifted if state == "drift" else warned if state == "warning" else []).append(name)
    state = "drift" if drift.get("drift_detected") else "features" if drifted or warned else "ok"
    return DriftState(state, tuple(drifted), tuple(warned), rule_words(drift.get("settings")))


def run_drift(run: RunRecord | None, reader: Any = None, name: str = "") -> DriftState | None:
    """The drift state of a succeeded run: from its summary, or from its report for runs
    recorded before the summary named the drifted features (None when not tested)."""
    if run is None or run.status != "succeeded":
        return None
    summary = run.summary or {}
    found = summary.get("drift_features")
    if found is not None:
        drifted, warned = tuple(found.get("drifted") or ()), tuple(found.get("warned") or ())
        detected = bool(summary.get("drift_detected"))
        state = "drift" if detected else "features" if drifted or warned else "ok"
        return DriftState(state, drifted, warned, rule_words(found))
    if summary.get("drift_detected"):
        return DriftState("drift")
    if "data" not in (summary.get("signals") or {"data": None}):
        return None  # no data drift test in this run
    if reader is None:
        return None if "drift_detected" not in summary else DriftState("ok")
    report = reader.report(name, run)
    return state_of_report(report.drift)
