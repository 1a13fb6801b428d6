"""A bound on the requests waiting for each pipeline: past it, ``503`` with ``Retry-After``.

Scoring is done by a few threads; when a model (or its preprocess hook) is slower than the
requests arrive, they queue. Without a bound the queue, the memory it holds and the latency of
every request grow as long as the overload lasts. With it, a pipeline holds at most
``limit`` requests (being prepared, queued or scored); the next one is answered at once with
``503 Service Unavailable`` and ``Retry-After``, so the latency of the admitted requests stays
about ``limit / throughput`` and the client can back off or go to another replica.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.exceptions import HTTPException

__all__ = ["Admission"]


class Admission:
    """Counts the requests in flight per pipeline and refuses those past ``limit``.

    Parameters
    ----------
    limit
        The most requests of one pipeline held at once.
    retry_after_seconds
        The ``Retry-After`` a refused request is given.

    Examples
    --------
    >>> admission = Admission(limit=1, retry_after_seconds=2)
    >>> with admission.admit("sea"):
    ...     try:
    ...         with admission.admit("sea"):
    ...             pass
    ...     except HTTPException as refused:
    ...         print(refused.status_code, refused.headers["Retry-After"])
    503 2
    >>> admission.pending("sea"), admission.refused
    (0, 1)
    """

    def __init__(self, limit: int, retry_after_seconds: int = 1) -> None:
        self.limit = limit
        self.retry_after_seconds = retry_after_seconds
        self.refused = 0  # requests answered 503 so far
        self._pending: dict[str, int] = {}

    def pending(self, pipeline: str) -> int:
        """The requests of ``pipeline`` held now."""
        return self._pending.get(pipeline, 0)

    @contextmanager
    def admit(self, pipeline: str) -> Iterator[None]:
        """Hold one place for a request of ``pipeline``; 503 if none is left.

        Only the event loop calls this (no lock needed): the count changes between awaits.
        """
        held = self._pending.get(pipeline, 0)
        if held >= self.limit:
            self.refused += 1
            raise HTTPException(
                503,
                f"pipeline '{pipeline}' is overloaded: {held} requests are already waiting "
                f"(the limit is {self.limit}); retry in {self.retry_after_seconds} s",
                headers={"Retry-After": str(self.retry_after_seconds)},
            )
        self._pending[pipeline] = held + 1
        try:
            yield
        finally:
            left = self._pending[pipeline] - 1
            if left:
                self._pending[pipeline] = left
            else:
                del self._pending[pipeline]
