"""Pipeline names: what is allowed, and the check every entry point uses."""

from __future__ import annotations

import re

from calmops.errors import InvalidNameError

__all__ = ["NAME_PATTERN", "validate_name"]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def validate_name(name: str) -> str:
    """Return ``name`` if it is a valid pipeline name, else raise :class:`InvalidNameError`.

    Examples
    --------
    >>> validate_name("churn-v2.eu")
    'churn-v2.eu'
    >>> validate_name("../x")
    Traceback (most recent call last):
    ...
    calmops.errors.InvalidNameError: invalid pipeline name '../x': ...
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        shown = name if isinstance(name, str) else type(name).__name__
        reason = (
            "it is empty"
            if shown == ""
            else (
                "it is longer than 64 characters"
                if len(str(shown)) > 64
                else "use letters, digits, '_', '.' and '-', starting with a letter or digit"
            )
        )
        raise InvalidNameError(f"invalid pipeline name '{shown}': {reason}")
    return name
