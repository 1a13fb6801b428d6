"""Pipeline leases of the :class:`~calmops.store.memory.InMemoryStore` (one process: the
contract's behaviour without a database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from calmops.store.entities import Lease, utcnow

__all__ = ["MemoryLeases"]


class MemoryLeases:
    """``memory`` is the store's shared tables: ``transaction()`` and ``pipeline(name)``."""

    def __init__(self, memory) -> None:
        self._m = memory

    def acquire(self, claim: Lease, *, replacing: str | None = None) -> Lease:
        with self._m.transaction() as tables:
            self._m.pipeline(claim.pipeline)
            held = tables.leases.get(claim.pipeline)
            if (
                held is None
                or held.holder != claim.holder
                and (not held.live(utcnow()) or held.holder == replacing)
            ):
                tables.leases[claim.pipeline] = claim
            elif held.holder == claim.holder:
                tables.leases[claim.pipeline] = replace(claim, acquired_at=held.acquired_at)
            return tables.leases[claim.pipeline]

    def renew(self, pipeline: str, holder: str, expires_at: datetime) -> bool:
        with self._m.transaction() as tables:
            self._m.pipeline(pipeline)
            held = tables.leases.get(pipeline)
            if held is None or held.holder != holder:
                return False
            tables.leases[pipeline] = replace(held, expires_at=expires_at)
            return True

    def release(self, pipeline: str, holder: str) -> None:
        with self._m.transaction() as tables:
            held = tables.leases.get(pipeline)
            if held is not None and held.holder == holder:
                del tables.leases[pipeline]

    def get(self, pipeline: str) -> Lease | None:
        with self._m.transaction() as tables:
            self._m.pipeline(pipeline)
            return tables.leases.get(pipeline)

    def list(self) -> list[Lease]:
        with self._m.transaction() as tables:
            return [tables.leases[name] for name in sorted(tables.leases)]
