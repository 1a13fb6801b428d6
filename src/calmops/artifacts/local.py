"""The default artifact store: the workspace folder, written as files always were.

Writes go through :mod:`calmops.atomic` (temporary file, fsync, rename, fsync the folder);
folders are laid out with :func:`calmops.atomic.staged_folder` and renamed into place, so a
crash leaves the old artifact or the new one. Reading a folder reads it in place.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from calmops.artifacts.base import check_key, files_under, sha256_bytes
from calmops.atomic import atomic_write_bytes, staged_folder
from calmops.errors import ArtifactNotFoundError

__all__ = ["LocalArtifacts"]


class LocalArtifacts:
    """Artifacts as files under ``root``.

    Examples
    --------
    >>> import tempfile
    >>> store = LocalArtifacts(Path(tempfile.mkdtemp()))
    >>> digest = store.put("models/v1/card.json", b"{}")
    >>> store.get("models/v1/card.json"), store.list("models")
    (b'{}', ['models/v1/card.json'])
    >>> store.child("models").list()
    ['v1/card.json']
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.url = self.root.as_posix()

    def path(self, key: str) -> Path:
        """The file that holds ``key``."""
        clean = check_key(key)
        return self.root / clean if clean else self.root

    def put(self, key: str, data: bytes) -> str:
        atomic_write_bytes(self.path(key), data)
        return sha256_bytes(data)

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ArtifactNotFoundError(key, self.url) from None

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def list(self, prefix: str = "") -> list[str]:
        base = self.path(prefix)
        if base.is_file():
            return [check_key(prefix)]
        if not base.is_dir():
            return []
        head = check_key(prefix)
        return [f"{head}/{key}" if head else key for key, _ in files_under(base)]

    def delete(self, key: str) -> None:
        path = self.path(key)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    def child(self, prefix: str) -> LocalArtifacts:
        return LocalArtifacts(self.path(prefix))

    @contextmanager
    def staged(self, prefix: str) -> Iterator[Path]:
        with staged_folder(self.path(prefix)) as staging:  # replaces a crash's orphan
            yield staging.path

    def folder(self, prefix: str) -> Path | None:
        path = self.path(prefix)
        return path if path.is_dir() else None

    def __repr__(self) -> str:
        return f"LocalArtifacts({self.url!r})"
