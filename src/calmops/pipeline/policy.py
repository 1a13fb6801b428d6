"""The decision: what a batch leads to, and the sentence that explains it.

``train`` (no champion yet), ``retrain`` (a signal in ``decision.retrain_on`` fired),
``no_drift``, ``predict_only`` (no labels, or ``prediction_only``), ``paused`` (the circuit
breaker holds retraining back) or ``alert`` (no labels, and the label-free estimate of the
champion's performance, a signal in ``retrain_on``, fell: a person should look, as there is
nothing to retrain on). With labels, ``estimated_performance`` in ``retrain_on`` stands for
the realized ``performance`` signal. A ``prediction_only`` pipeline never trains, but with
``estimated_performance`` in ``retrain_on`` it still raises ``alert`` when the champion's
performance fell (estimated, or realized on a labelled batch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ESTIMATED = "estimated_performance"

__all__ = ["DECISIONS", "Decision", "DecisionKind", "Signal", "decide"]


class DecisionKind(StrEnum):
    """What a batch leads to; a ``str``, so it compares with and serialises as its value.

    >>> DecisionKind("retrain") == "retrain", f"{DecisionKind.NO_DRIFT}"
    (True, 'no_drift')
    """

    TRAIN = "train"
    RETRAIN = "retrain"
    NO_DRIFT = "no_drift"
    PREDICT_ONLY = "predict_only"
    PAUSED = "paused"
    ALERT = "alert"

    @property
    def trains(self) -> bool:
        """Whether the batch trains a challenger (``train`` or ``retrain``)."""
        return self in (DecisionKind.TRAIN, DecisionKind.RETRAIN)


DECISIONS = tuple(kind.value for kind in DecisionKind)


@dataclass(frozen=True)
class Signal:
    """One drift signal of a batch: whether it fired and the numbers behind it."""

    name: str  # data | prediction | label | performance | detector | estimated_performance
    fired: bool
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """What the batch leads to, why, and which signals triggered it."""

    kind: DecisionKind
    reason: str
    triggers: tuple[str, ...] = ()

    def __post_init__(self) -> None:  # a plain string (or a report's JSON) names the kind
        object.__setattr__(self, "kind", DecisionKind(self.kind))
        object.__setattr__(self, "triggers", tuple(self.triggers))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "reason": self.reason, "triggers": list(self.triggers)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(data["kind"], data.get("reason", ""), tuple(data.get("triggers") or ()))


def decide(
    signals: dict[str, Signal],
    *,
    retrain_on: tuple[str, ...],
    has_labels: bool,
    has_champion: bool,
    prediction_only: bool,
    paused_until: str | None,
    target: str | None,
) -> Decision:
    """Choose the decision for a batch.

    Examples
    --------
    >>> perf = Signal("performance", True, "balanced accuracy fell from 0.91 to 0.78")
    >>> decision = decide({"performance": perf}, retrain_on=("performance",), has_labels=True,
    ...        has_champion=True, prediction_only=False, paused_until=None, target="y")
    >>> print(decision.kind)
    retrain
    """
    if prediction_only:
        return _prediction_only(signals, retrain_on, has_labels)
    if not has_labels:
        missing = f"no '{target}' column" if target else "no target column in the spec"
        if not has_champion:
            return Decision(
                "predict_only",
                f"{missing} and no model yet: checked the data only; "
                "the first labelled batch will train a model",
            )
        estimated = signals.get(ESTIMATED)
        if ESTIMATED in retrain_on and estimated is not None and estimated.fired:
            return Decision("alert", f"{estimated.summary}; no labels to retrain on", (ESTIMATED,))
        if estimated is None:
            return Decision("predict_only", f"{missing}: scored and checked for drift only")
        return Decision(
            "predict_only", f"{missing}: scored and checked for drift; {estimated.summary}"
        )
    if not has_champion:
        if paused_until:
            return Decision(
                "paused", f"training paused by the circuit breaker until {paused_until}"
            )
        return Decision("train", "no champion yet: training the first model")
    retrain_on = _realized(retrain_on)
    fired = tuple(name for name in retrain_on if name in signals and signals[name].fired)
    observed = "; ".join(s.summary for s in signals.values() if s.name != ESTIMATED)
    if not fired:
        return Decision("no_drift", f"no retraining signal fired ({observed})")
    because = "; ".join(signals[name].summary for name in fired)
    if paused_until:
        return Decision(
            "paused",
            f"drift found ({because}) but retraining is paused by the circuit breaker "
            f"until {paused_until}",
            fired,
        )
    return Decision("retrain", f"retraining because {because}", fired)


def _prediction_only(
    signals: dict[str, Signal], retrain_on: tuple[str, ...], has_labels: bool
) -> Decision:
    """A pipeline that never trains: ``alert`` when ``estimated_performance`` is in
    ``retrain_on`` and the champion's performance fell (estimated without labels, realized
    with them), ``predict_only`` otherwise."""
    never = "prediction_only is set: scored and monitored, not trained"
    estimated = signals.get(ESTIMATED)
    if ESTIMATED in retrain_on:
        name = "performance" if has_labels else ESTIMATED
        fell = signals.get(name)
        if fell is not None and fell.fired:
            return Decision(
                "alert", f"{fell.summary}; prediction_only is set, so nothing retrains", (name,)
            )
    if estimated is not None and not has_labels:
        return Decision("predict_only", f"{never}; {estimated.summary}")
    return Decision("predict_only", never)


def _realized(retrain_on: tuple[str, ...]) -> tuple[str, ...]:
    """With labels the realized ``performance`` signal stands for the estimated one."""
    named = [("performance" if name == ESTIMATED else name) for name in retrain_on]
    return tuple(dict.fromkeys(named))
