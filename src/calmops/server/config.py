"""What one prediction server is allowed to do: limits, timings and its API key.

These are process options of ``calmops serve`` (flags and environment), not part of any
pipeline spec.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerConfig"]


@dataclass(frozen=True)
class ServerConfig:
    """Limits and timings of the prediction server.

    Parameters
    ----------
    api_key
        When set, every route but the health checks needs it (``Authorization: Bearer KEY``
        or ``X-API-Key: KEY``).
    max_body_bytes
        Larger request bodies are refused with 413 before they are read in full.
    max_batch_rows
        Larger batches (``/predict`` rows, OIP tensor rows) are refused with 413.
    poll_seconds
        How often the store's aliases are read to notice a new champion (hot swap).
    log_flush_rows, log_flush_seconds
        The prediction log is written to Parquet when this many rows are buffered, or when
        the oldest buffered row is this old (and always on shutdown).
    max_micro_batch_rows
        Concurrent requests for one pipeline are scored together, up to this many rows.
    shadow_timeout_seconds
        A shadow model slower than this is not waited for; its prediction is not logged.
    max_pending_requests
        The most requests of one pipeline held at once (being prepared, queued or scored);
        past it a request is answered ``503`` with ``Retry-After`` at once, so an overload
        (a slow model, a burst) bounds latency and memory instead of queueing without end.
    retry_after_seconds
        The ``Retry-After`` (whole seconds) of those 503 answers.
    allowed_hosts
        When set, requests whose ``Host`` header names anything else get 400 (``calmops
        serve`` on loopback sets the loopback names, against DNS rebinding; see
        :mod:`calmops.hosts`).

    Examples
    --------
    >>> ServerConfig(max_batch_rows=10).max_batch_rows
    10
    >>> ServerConfig(api_key="")
    Traceback (most recent call last):
    ...
    ValueError: api_key must not be empty (leave it unset to serve without a key)
    """

    api_key: str | None = None
    max_body_bytes: int = 8 * 1024 * 1024
    max_batch_rows: int = 10_000
    poll_seconds: float = 0.5
    log_flush_rows: int = 5_000
    log_flush_seconds: float = 5.0
    max_micro_batch_rows: int = 4_096
    shadow_timeout_seconds: float = 5.0
    max_pending_requests: int = 128
    retry_after_seconds: int = 1
    allowed_hosts: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.api_key is not None and not self.api_key:
            raise ValueError("api_key must not be empty (leave it unset to serve without a key)")
        for name in (
            "max_body_bytes",
            "max_batch_rows",
            "log_flush_rows",
            "max_micro_batch_rows",
            "max_pending_requests",
            "retry_after_seconds",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 (got {getattr(self, name)})")
        for name in ("poll_seconds", "log_flush_seconds", "shadow_timeout_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (got {getattr(self, name)})")
