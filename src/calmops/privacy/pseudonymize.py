"""Keyed pseudonymization: identifiers replaced by HMAC-SHA256 of their text under a secret key.

The same key gives the same pseudonym for the same identifier in every file and every run, so
released tables can still be joined; without the key a pseudonym cannot be recomputed from a
guessed identifier (unlike a plain hash, which anyone can recompute from a list of candidate
ids). The key comes from an environment variable or a key file and is never written anywhere.
A value is hashed as its text (``str(value)``: ``17`` and ``"17"`` agree, ``17.0`` does not);
missing values stay missing.

References
----------
Krawczyk, Bellare, Canetti, "HMAC: Keyed-Hashing for Message Authentication", RFC 2104 (1997).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pandas as pd

from calmops.errors import SpecError

__all__ = ["MIN_KEY_BYTES", "load_key", "pseudonym", "pseudonymize"]

#: keys shorter than this are refused (an HMAC key should carry at least 128 bits)
MIN_KEY_BYTES = 16


def load_key(key_env: str | None = None, key_file: str | Path | None = None) -> bytes:
    """The pseudonymization key: the content of ``key_file`` if given, else ``$key_env``.

    Raises
    ------
    SpecError
        When the variable is unset or empty, the file is missing, or the key is shorter than
        :data:`MIN_KEY_BYTES` bytes. The message names where the key was looked for, never
        its value.

    Examples
    --------
    >>> import os
    >>> os.environ["DEMO_KEY"] = "correct horse battery staple"
    >>> len(load_key("DEMO_KEY"))
    28
    >>> load_key("NO_SUCH_VARIABLE_SET")
    Traceback (most recent call last):
    calmops.errors.SpecError: no pseudonymization key: set the environment variable ...
    """
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as error:
            raise SpecError(f"the pseudonymization key file cannot be read ({error})") from None
        where = f"the key file {key_file}"
    else:
        name = key_env or "CALMOPS_PSEUDONYM_KEY"
        key = os.environ.get(name, "").encode("utf-8")
        where = f"${name}"
        if not key:
            raise SpecError(
                f"no pseudonymization key: set the environment variable {name} "
                f"(at least {MIN_KEY_BYTES} random characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`) or give a key file"
            )
    if len(key) < MIN_KEY_BYTES:
        raise SpecError(
            f"the pseudonymization key in {where} is {len(key)} bytes; use at least {MIN_KEY_BYTES}"
        )
    return key


def pseudonym(value: object, key: bytes) -> str:
    """The pseudonym of one identifier: hex HMAC-SHA256 of ``str(value)`` under ``key``.

    Examples
    --------
    >>> key = b"0123456789abcdef"
    >>> pseudonym("P-0001", key) == pseudonym("P-0001", key)
    True
    >>> pseudonym("P-0001", key)[:16]
    'e904b09c736b0a37'
    """
    return hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonymize(frame: pd.DataFrame, columns: list[str], key: bytes) -> pd.DataFrame:
    """A copy of ``frame`` with each of ``columns`` replaced by its pseudonyms.

    Each distinct value is hashed once, so a column of repeated ids costs its distinct count.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["a", "b", "a", None], "x": [1, 2, 3, 4]})
    >>> out = pseudonymize(frame, ["id"], b"0123456789abcdef")
    >>> out["id"].iloc[0] == out["id"].iloc[2], out["id"].iloc[3] is None, out["x"].tolist()
    (True, True, [1, 2, 3, 4])
    """
    out = frame.copy()
    for column in columns:
        values = frame[column]
        present = values.notna()
        codes = {v: pseudonym(v, key) for v in pd.unique(values[present])}
        out[column] = values.map(codes).astype(object).where(present, None)
    return out
