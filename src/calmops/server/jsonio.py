"""JSON in and out of the hot routes: orjson when it is installed, the standard library if not.

Both refuse what is not JSON (``NaN``, ``Infinity``) on the way in and turn numpy values into
plain JSON on the way out.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["dumps", "loads"]

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is optional
    orjson = None


def loads(body: bytes) -> Any:
    """Parse a request body; 400 with the reason if it is not JSON.

    >>> loads(b'{"x": [1, 2.5]}')
    {'x': [1, 2.5]}
    >>> loads(b'{"x": NaN}')
    Traceback (most recent call last):
    ...
    starlette.exceptions.HTTPException: 400: the body is not valid JSON: ...
    """
    if not body:
        raise HTTPException(400, "the body is empty: send JSON")
    try:
        if orjson is not None:
            return orjson.loads(body)
        return json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as error:
        reason = str(error).splitlines()[0][:200]
        raise HTTPException(400, f"the body is not valid JSON: {reason}") from None


def dumps(value: Any) -> bytes:
    """Serialize an answer (numpy arrays and scalars included); NaN becomes null.

    >>> import numpy as np
    >>> dumps({"p": np.array([1, 2]), "q": float("nan")})
    b'{"p":[1,2],"q":null}'
    """
    if orjson is not None:
        return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY, default=_plain)
    return json.dumps(_nan_free(value), default=_plain, separators=(",", ":")).encode()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value).__name__}")


def _nan_free(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_free(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nan_free(v) for v in value]
    if hasattr(value, "tolist"):
        return _nan_free(value.tolist())
    return value
