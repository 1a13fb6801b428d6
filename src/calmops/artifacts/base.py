"""The artifact-store seam: where a pipeline's files live, addressed by key.

A key is a relative POSIX path (``pipelines/demo/models/v3/model.joblib``). Every store
writes atomically (a reader sees the old bytes or the new ones, never a torn object) and
returns the SHA-256 of what it wrote. Folder-shaped artifacts (a drift profile, a model
version) are laid out locally inside :meth:`ArtifactStore.staged` and published whole;
:meth:`ArtifactStore.folder` gives a local folder to read one back.

Two stores implement it: :class:`calmops.artifacts.local.LocalArtifacts` (the workspace
folder, the default) and :class:`calmops.artifacts.remote.FsspecArtifacts` (any fsspec URL).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

from calmops.errors import ArtifactError

__all__ = ["ArtifactStore", "check_key", "join", "sha256_bytes"]


@runtime_checkable
class ArtifactStore(Protocol):
    """Bytes by key, written atomically; one instance is scoped to a prefix (``child``)."""

    url: str

    def put(self, key: str, data: bytes) -> str:
        """Write ``data`` at ``key`` atomically (replacing it); its SHA-256."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes at ``key``; :class:`ArtifactNotFoundError` when there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an object (or a folder of them) is at ``key``."""
        ...

    def list(self, prefix: str = "") -> list[str]:
        """Every key under ``prefix`` (relative to this store), sorted."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object at ``key``, or every object under it (absent: nothing)."""
        ...

    def child(self, prefix: str) -> ArtifactStore:
        """The same store scoped to ``prefix``."""
        ...

    def staged(self, prefix: str) -> AbstractContextManager[Path]:
        """Lay out a folder locally; on a clean exit it replaces ``prefix`` whole."""
        ...

    def folder(self, prefix: str) -> Path | None:
        """A local folder holding the objects under ``prefix``; None when there are none."""
        ...


def check_key(key: str) -> str:
    """``key`` as a clean relative POSIX path; raises ArtifactError for ``..`` or absolute.

    >>> check_key("models/v1/card.json")
    'models/v1/card.json'
    >>> check_key("../etc/passwd")
    Traceback (most recent call last):
    ...
    calmops.errors.ArtifactError: artifact key '../etc/passwd' must be a relative path without '..'
    """
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts:
        raise ArtifactError(f"artifact key {key!r} must be a relative path without '..'")
    return "" if str(path) == "." else str(path)


def join(*parts: str) -> str:
    """Keys joined with ``/``, empty parts left out.

    >>> join("pipelines/demo", "", "models")
    'pipelines/demo/models'
    """
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


def files_under(folder: Path) -> Iterator[tuple[str, Path]]:
    """``(relative key, path)`` of every file under ``folder``, sorted."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path
