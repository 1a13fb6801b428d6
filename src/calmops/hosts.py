"""Which ``Host`` headers a server on loopback answers (a guard against DNS rebinding).

A page on ``evil.example`` can re-point its own name at 127.0.0.1 and then talk to a server
on loopback from the user's browser; the browser still sends ``Host: evil.example``. So a
server bound to a loopback address answers only requests addressed to a loopback name.
Bound elsewhere, it answers any name (the operator chose to expose it).
"""

from __future__ import annotations

__all__ = ["LOOPBACK", "allowed_hosts_for"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""Addresses and names that reach only this machine."""


def allowed_hosts_for(bind_host: str) -> list[str] | None:
    """The ``Host`` names to accept for a server bound to ``bind_host`` (None: any).

    >>> allowed_hosts_for("127.0.0.1")
    ['127.0.0.1', '::1', '[::1]', 'localhost']
    >>> allowed_hosts_for("0.0.0.0") is None
    True
    """
    if bind_host not in LOOPBACK:
        return None
    return sorted(LOOPBACK | {"[::1]"})
