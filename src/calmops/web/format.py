"""How numbers, times and states are shown: formatted on the server, once, for every page.

Times travel as ISO 8601 in UTC; the page rewrites every ``<time>`` element in the reader's
local time zone (the ``text`` here is the UTC fallback shown without JavaScript).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

__all__ = ["cell_time", "number", "tone_of", "when"]

#: the badge colour of each state, decision and verdict
TONES = {
    "succeeded": "ok",
    "failed": "bad",
    "running": "info",
    "train": "info",
    "retrain": "warn",
    "no_drift": "ok",
    "predict_only": "muted",
    "paused": "bad",
    "alert": "bad",
    "closed": "ok",
    "open": "bad",
    "half_open": "warn",
    "drift": "bad",
    "warning": "warn",
    "error": "bad",
    "info": "muted",
    "stopped": "muted",
    "promoted": "ok",
}


def number(value: Any, digits: int = 3) -> str:
    """A number for people: integers with thousands separators, others to ``digits`` places.

    Examples
    --------
    >>> number(1234), number(0.87133), number(None), number(float("nan")), number(2.5e-7)
    ('1,234', '0.871', '—', '—', '2.5e-07')
    """
    if value is None or isinstance(value, bool):
        return "—" if value is None else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return "—"
    if value != 0 and abs(value) < 10**-(digits):
        return f"{value:.2g}"
    if value.is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def when(moment: datetime | str | None) -> str | None:
    """An ISO timestamp in UTC (what the page localises), or None.

    >>> when("2026-01-02T03:04:05+01:00")
    '2026-01-02T02:04:05+00:00'
    """
    if moment is None:
        return None
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def cell_time(moment: datetime | str | None) -> dict[str, str] | str:
    """A table cell for a time: ``{"time": iso, "text": "YYYY-MM-DD HH:MM UTC"}``.

    >>> cell_time("2026-01-02T03:04:05+00:00")
    {'time': '2026-01-02T03:04:05+00:00', 'text': '2026-01-02 03:04 UTC'}
    """
    iso = when(moment)
    if iso is None:
        return "—"
    return {"time": iso, "text": iso[:16].replace("T", " ") + " UTC"}


def tone_of(state: str | None) -> str:
    """The badge colour of a state: ``ok``, ``warn``, ``bad``, ``info`` or ``muted``.

    >>> tone_of("failed"), tone_of("retrain"), tone_of("something new")
    ('bad', 'warn', 'muted')
    """
    return TONES.get(state or "", "muted")
