"""The circuit breaker: consecutive failures pause retraining, with exponential backoff.

``closed`` retrains normally; ``open`` pauses retraining until ``retry_at`` (scoring and drift
checks go on); past ``retry_at`` the next retraining is a half-open trial: success closes the
breaker, failure opens it again for longer.

>>> from datetime import datetime, UTC
>>> from calmops.spec import BreakerSpec
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> state = BreakerState()
>>> for _ in range(3):
...     state = after_failure(state, BreakerSpec(max_failures=3, backoff_minutes=30), now)
>>> state.state, is_paused(state, now), str(state.retry_at - now)
('open', True, '0:30:00')
"""

from __future__ import annotations

from datetime import datetime, timedelta

from calmops.spec import BreakerSpec
from calmops.store import BreakerState

__all__ = ["BreakerState", "after_failure", "after_success", "is_paused", "trial"]


def is_paused(state: BreakerState, now: datetime) -> bool:
    """Whether retraining is paused right now."""
    return state.state == "open" and state.retry_at is not None and now < state.retry_at


def trial(state: BreakerState, now: datetime) -> bool:
    """Whether the next retraining is the half-open trial after a pause."""
    return state.state in ("open", "half_open") and not is_paused(state, now)


def after_failure(state: BreakerState, spec: BreakerSpec, now: datetime) -> BreakerState:
    """Count one more consecutive failure; open (or reopen) the breaker when due."""
    failures = state.failures + 1
    if failures < spec.max_failures and state.state == "closed":
        return BreakerState("closed", failures)
    openings = max(failures - spec.max_failures, 0)
    minutes = min(spec.backoff_minutes * spec.backoff_factor**openings, spec.max_backoff_minutes)
    return BreakerState("open", failures, now, now + timedelta(minutes=minutes))


def after_success(state: BreakerState) -> BreakerState:
    """A success closes the breaker and clears the count."""
    return BreakerState()
