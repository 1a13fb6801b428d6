"""Durable file writes: write to a temporary file, fsync, rename, fsync the folder.

A crash at any point leaves either the old file or the new one, never a torn one. One file
is written with :func:`atomic_write_bytes` (or ``atomic_write_text``); a folder of files
(a model version, a drift profile, a new pipeline) is laid out inside
:func:`staged_folder`, which publishes it whole or not at all.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "spec.yaml"
>>> atomic_write_text(target, "name: demo\\n")
>>> target.read_text()
'name: demo\\n'
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "StagedFolder",
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_directory",
    "fsync_tree",
    "staged_folder",
]


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably.

    A failure (no such folder, no space left, no permission) raises an ``OSError`` naming
    ``path`` itself, not the temporary file, and leaves the old file as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except FileExistsError as error:  # a file stands where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from error
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically and durably."""
    atomic_write_bytes(path, text.encode("utf-8"))


def fsync_directory(folder: str | os.PathLike[str]) -> None:
    """Make a rename inside ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def fsync_tree(folder: str | os.PathLike[str]) -> None:
    """Flush every file under ``folder``, and the folders themselves, to disk."""
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for path in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        fsync_directory(path)
    fsync_directory(root)


class StagedFolder:
    """A folder being laid out next to ``target`` under a unique hidden name.

    Write into :attr:`path`; :meth:`publish` makes it ``target``. :func:`staged_folder` calls
    it on a clean exit; call it yourself to publish at a precise moment (e.g. inside a store
    transaction, just before it commits).
    """

    def __init__(self, target: Path, replace: bool) -> None:
        self.target = target
        self.replace = replace
        self.path = target.parent / f".{target.name}-{uuid.uuid4().hex[:8]}.staging"
        self.published = False

    def publish(self) -> None:
        """Flush the staged tree, rename it to the target, flush the parent folder.

        An existing target (the orphan of a crashed run) is replaced when ``replace`` is
        true; otherwise :class:`FileExistsError` is raised and nothing changes.
        """
        if self.published:
            return
        fsync_tree(self.path)
        if self.target.exists():
            if not self.replace:
                raise FileExistsError(f"{self.target} exists")
            shutil.rmtree(self.target)
        self.path.rename(self.target)
        self.published = True
        fsync_directory(self.target.parent)


@contextmanager
def staged_folder(
    target: str | os.PathLike[str], *, replace: bool = True
) -> Iterator[StagedFolder]:
    """Lay out a folder under a staging name and publish it as ``target`` in one rename.

    A crash or an error inside the block leaves no partial ``target`` (the staging folder
    is removed on error); readers see the old target or the whole new one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "v1"
    >>> with staged_folder(target) as staged:
    ...     _ = (staged.path / "card.json").write_text("{}")
    >>> sorted(p.name for p in target.iterdir())
    ['card.json']
    >>> [p.name for p in target.parent.iterdir()]
    ['v1']
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = StagedFolder(target, replace)
    staged.path.mkdir()
    try:
        yield staged
        staged.publish()
    except BaseException:
        shutil.rmtree(staged.path, ignore_errors=True)
        raise
