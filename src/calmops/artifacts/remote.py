"""Artifacts in any fsspec file system: ``s3://bucket/prefix`` (s3fs), ``gs://``, ``memory://``.

Each object is written with one ``pipe_file`` call, which for S3 is a single PUT of the full
bytes (or a multipart upload, which is invisible until it completes): a reader, or a writer
killed half-way, never sees a torn object. A folder (a model version, a drift profile) is
laid out in a local temporary folder and uploaded file by file, its ``*.json`` files last, so
the files that say "this is a profile" or "this is a model card" appear only after the data
they describe. Reading a folder downloads it fresh into a local cache folder.

Credentials and endpoints come from the file system's usual places (for S3: the ``AWS_*``
variables, e.g. ``AWS_ENDPOINT_URL`` for MinIO) or from ``storage_options``.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calmops.artifacts.base import check_key, files_under, join, sha256_bytes
from calmops.atomic import staged_folder
from calmops.errors import ArtifactError, ArtifactNotFoundError

__all__ = ["FsspecArtifacts"]


class FsspecArtifacts:
    """Artifacts under the fsspec URL ``url``.

    Examples
    --------
    >>> store = FsspecArtifacts("memory://calmops-doctest")
    >>> digest = store.put("models/v1/card.json", b"{}")
    >>> store.get("models/v1/card.json"), store.child("models").list()
    (b'{}', ['v1/card.json'])
    >>> store.delete("models"); store.list()
    []
    """

    def __init__(
        self,
        url: str,
        storage_options: dict[str, Any] | None = None,
        cache: str | Path | None = None,
        *,
        _fs: Any = None,
        _root: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.storage_options = dict(storage_options or {})
        if _fs is None:
            _fs, _root = _open(self.url, self.storage_options)
        self.fs, self.root = _fs, (_root or "").rstrip("/")
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:16]
        self.cache = Path(cache) if cache else Path(tempfile.gettempdir()) / "calmops-artifacts"
        self._cache_root = self.cache / digest

    def _path(self, key: str) -> str:
        clean = check_key(key)
        return f"{self.root}/{clean}" if clean else self.root

    def put(self, key: str, data: bytes) -> str:
        path = self._path(key)
        try:
            self.fs.pipe_file(path, data)
        except OSError as error:
            raise ArtifactError(f"cannot write {self.url}/{check_key(key)}: {error}") from error
        self.fs.invalidate_cache(path)
        return sha256_bytes(data)

    def get(self, key: str) -> bytes:
        try:
            return self.fs.cat_file(self._path(key))
        except FileNotFoundError:
            raise ArtifactNotFoundError(key, self.url) from None
        except IsADirectoryError:
            raise ArtifactNotFoundError(key, self.url) from None

    def exists(self, key: str) -> bool:
        path = self._path(key)
        self.fs.invalidate_cache(path)
        return bool(self.fs.exists(path))

    def list(self, prefix: str = "") -> list[str]:
        path = self._path(prefix)
        self.fs.invalidate_cache(path)
        try:
            found = self.fs.find(path)
        except FileNotFoundError:
            return []
        head = self.root + "/" if self.root else ""
        return sorted(p[len(head) :] if p.startswith(head) else p for p in found)

    def delete(self, key: str) -> None:
        path = self._path(key)
        self.fs.invalidate_cache(path)
        keys = self.list(key)
        if keys:
            self.fs.rm([self._path(k) for k in keys])
            self.fs.invalidate_cache(path)

    def child(self, prefix: str) -> FsspecArtifacts:
        clean = check_key(prefix)
        return FsspecArtifacts(
            join(self.url, clean),
            self.storage_options,
            self.cache,
            _fs=self.fs,
            _root=self._path(clean),
        )

    @contextmanager
    def staged(self, prefix: str) -> Iterator[Path]:
        folder = Path(tempfile.mkdtemp(prefix=".calmops-staged-"))
        try:
            yield folder
            self.publish(folder, prefix)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def publish(self, folder: Path, prefix: str) -> None:
        """Upload the files of ``folder`` as ``prefix``, replacing what was there
        (its ``*.json`` files last)."""
        files = dict(files_under(folder))
        stale = [k for k in self.list(prefix) if _relative(k, prefix) not in files]
        for key in stale:
            self.delete(key)
        for name in sorted(files, key=lambda n: (n.endswith(".json"), n)):
            self.put(join(prefix, name), files[name].read_bytes())

    def folder(self, prefix: str) -> Path | None:
        keys = self.list(prefix)
        if not keys:
            return None
        target = self._cache_root / check_key(prefix) if check_key(prefix) else self._cache_root
        with staged_folder(target) as staging:  # a fresh copy: the remote one may have changed
            for key in keys:
                local = staging.path / _relative(key, prefix)
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_bytes(self.get(key))
        return target

    def __repr__(self) -> str:
        return f"FsspecArtifacts({self.url!r})"


def _relative(key: str, prefix: str) -> str:
    head = check_key(prefix)
    return key[len(head) + 1 :] if head else key


def _open(url: str, options: dict[str, Any]) -> tuple[Any, str]:
    from fsspec.core import url_to_fs

    try:
        return url_to_fs(url, **options)
    except (ImportError, ValueError) as error:
        raise ArtifactError(
            f"artifacts: cannot open {url!r} ({error}); for s3:// run `pip install calmops[s3]`"
        ) from None
