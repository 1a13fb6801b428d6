"""Where model versions, reference profiles, retained data, run reports and served-prediction
logs live: the workspace folder (``local``, the default) or any fsspec URL (``fsspec``).

:func:`open_artifacts` picks the store for a URL; :data:`STORES` names the implementations
(one class and one line to add another). The URL comes from ``CALMOPS_ARTIFACTS`` or the
workspace's ``settings.yaml`` (:mod:`calmops.settings`).

Examples
--------
>>> import tempfile
>>> home = tempfile.mkdtemp()
>>> type(open_artifacts(None, home)).__name__, type(open_artifacts("memory://x", home)).__name__
('LocalArtifacts', 'FsspecArtifacts')
"""

from __future__ import annotations

import os
from pathlib import Path

from calmops.artifacts.base import ArtifactStore, check_key, join, sha256_bytes
from calmops.artifacts.local import LocalArtifacts
from calmops.artifacts.remote import FsspecArtifacts
from calmops.errors import RegistryError

__all__ = [
    "STORES",
    "ArtifactStore",
    "FsspecArtifacts",
    "LocalArtifacts",
    "check_key",
    "join",
    "open_artifacts",
    "sha256_bytes",
    "store_kind",
]

#: the artifact stores by name
STORES: dict[str, type] = {"local": LocalArtifacts, "fsspec": FsspecArtifacts}

LOCAL_SCHEMES = ("", "file", "local")


def store_kind(url: str | None) -> str:
    """``local`` for no URL, a path or ``file://``; ``fsspec`` for any other scheme.

    >>> store_kind(None), store_kind("/srv/artifacts"), store_kind("s3://bucket/calmops")
    ('local', 'local', 'fsspec')
    """
    if not url:
        return "local"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    return "local" if scheme in LOCAL_SCHEMES else "fsspec"


def open_artifacts(url: str | None, home: str | os.PathLike[str]) -> ArtifactStore:
    """The artifact store for ``url`` (None: the workspace folder ``home``).

    ``local://`` or a plain path is a folder; any other scheme goes to fsspec, whose remote
    reads are cached under ``<home>/.cache/artifacts``.
    """
    kind = store_kind(url)
    if kind not in STORES:  # pragma: no cover - store_kind only answers registered names
        raise RegistryError(f"no artifact store {kind!r}; choose from {', '.join(STORES)}")
    if kind == "local":
        if not url:
            return LocalArtifacts(Path(home))
        return LocalArtifacts(Path(url.split("://", 1)[-1]).expanduser().absolute())
    return FsspecArtifacts(url, cache=Path(home) / ".cache" / "artifacts")
