"""What one method did on one stream: a decision and a prequential score per batch."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Trace"]


@dataclass(frozen=True)
class Trace:
    """One method on one stream and seed.

    ``decisions[i]`` is what happened at batch ``i`` (``train``, ``retrain``, ``no_drift``,
    ``paused``, ... or ``failed``); ``scores[i]`` the balanced accuracy on batch ``i`` of the
    model in place *before* batch ``i`` was learned (None for batch 0). ``retrains`` are the
    batches a retraining was started on (whether or not its challenger was promoted);
    ``promotions`` the batches whose challenger became the model in place.
    """

    method: str
    decisions: tuple[str, ...]
    scores: tuple[float | None, ...]
    retrains: tuple[int, ...]
    promotions: tuple[int, ...]
    failed: int = 0
    paused: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
