"""Data files of a pipeline's folder: which count, in which order, and their ledger key."""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from calmops.store import FileKey

__all__ = ["IGNORED_PATTERNS", "data_files", "file_key", "is_ignored"]

# names a writer uses while a file is incomplete, hidden files, and the ground-truth records
# `calmops generate` writes beside the batches
IGNORED_PATTERNS = (
    "*.part",
    "*.tmp",
    "*.crdownload",
    "~*",
    ".*",
    "drift_record.json",
    "*.drift_record.json",
)


def is_ignored(name: str) -> bool:
    """Temporary or hidden file names are never data."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_PATTERNS)


def data_files(
    folder: str | os.PathLike[str], patterns: Iterable[str], recursive: bool = False
) -> list[Path]:
    """Files in ``folder`` matching ``patterns``, oldest first (modification time, then name).

    Examples
    --------
    >>> import os, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> names = ["b.csv", "a.csv", "c.csv.part", ".hidden.csv", "notes.md", "drift_record.json"]
    >>> for i, name in enumerate(names):
    ...     _ = (folder / name).write_text("x\\n1\\n"); os.utime(folder / name, (i, i))
    >>> [p.name for p in data_files(folder, ["*.csv", "*.json"])]
    ['b.csv', 'a.csv']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    candidates = folder.rglob("*") if recursive else folder.iterdir()
    chosen = []
    for path in candidates:
        if is_ignored(path.name) or not any(
            fnmatch.fnmatch(path.name.lower(), p.lower()) for p in patterns
        ):
            continue
        try:
            if path.is_file():
                chosen.append((path.stat().st_mtime, path.name, path))
        except OSError:  # vanished or unreadable since the listing: not a batch now
            continue
    return [path for _, _, path in sorted(chosen, key=lambda item: item[:2])]


def file_key(path: str | os.PathLike[str]) -> FileKey:
    """Path, size and SHA-256: what the ledger knows a file by (``path``: a str or a Path)."""
    path = Path(path)
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return FileKey(str(path.absolute()), size, digest.hexdigest(), path.stat().st_mtime_ns)
