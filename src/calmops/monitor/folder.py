"""The data folder as a monitor sees it: is it usable, and which names in it are data."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

from calmops.pipeline.files import is_ignored

__all__ = ["folder_problem", "is_data_name"]


def folder_problem(folder: Path) -> str | None:
    """What keeps ``folder`` from being watched, or ``None`` when it is fine.

    Examples
    --------
    >>> import tempfile
    >>> here = Path(tempfile.mkdtemp())
    >>> folder_problem(here) is None
    True
    >>> folder_problem(here / "gone")
    'data folder ... does not exist'
    """
    try:
        if not folder.exists():
            return f"data folder {folder} does not exist"
        if not folder.is_dir():
            return f"data folder {folder} is not a folder"
        with os.scandir(folder) as entries:
            next(entries, None)
    except PermissionError:
        return f"data folder {folder} is not readable (permission denied)"
    except OSError as error:
        return f"data folder {folder} cannot be read: {error.strerror or error}"
    return None


def is_data_name(name: str, patterns: Iterable[str]) -> bool:
    """Whether a file called ``name`` is a data file: matches a pattern, not a temporary name.

    Examples
    --------
    >>> [is_data_name(n, ["*.csv"]) for n in ["a.CSV", "a.csv.part", "~a.csv", ".a.csv", "a.md"]]
    [True, False, False, False, False]
    """
    if is_ignored(name):
        return False
    lowered = name.lower()
    return any(fnmatch.fnmatch(lowered, pattern.lower()) for pattern in patterns)
