"""The API key: required by every route but the health checks when one is configured.

The key is accepted as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY`` and compared in
constant time (:func:`secrets.compare_digest`), so response timing does not reveal it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

__all__ = ["api_key_dependency", "key_matches"]

_bearer = HTTPBearer(auto_error=False, description="The server's API key as a bearer token.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The server's API key.")


def key_matches(given: str | None, expected: str) -> bool:
    """Whether ``given`` is the key, compared in constant time.

    >>> key_matches("s3cret", "s3cret"), key_matches("s3cre", "s3cret"), key_matches(None, "k")
    (True, False, False)
    """
    if given is None:
        return False
    return secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def api_key_dependency(expected: str) -> Callable[..., Awaitable[None]]:
    """A dependency that refuses (401) any request without the key ``expected``."""

    async def require_api_key(
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
        header: Annotated[str | None, Security(_header)] = None,
    ) -> None:
        given = header if header is not None else (bearer.credentials if bearer else None)
        if not key_matches(given, expected):
            raise HTTPException(
                status_code=401,
                detail="a valid API key is required (Authorization: Bearer KEY or X-API-Key)",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return require_api_key
