"""Model files: written durably with their SHA-256, and verified before every load.

``joblib`` is the default format; ``skops`` (``pip install skops``) stores models without
pickle and loads only trusted types.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_bytes
from calmops.errors import ModelIntegrityError, SpecError

__all__ = ["FILE_NAMES", "load_model", "model_from_bytes", "save_model", "sha256_of"]

FILE_NAMES = {"joblib": "model.joblib", "skops": "model.skops"}


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: Any, folder: Path, serializer: str = "joblib") -> tuple[Path, str]:
    """Write ``model`` into ``folder`` durably; return the file and its SHA-256.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.dummy import DummyClassifier
    >>> folder = Path(tempfile.mkdtemp())
    >>> path, digest = save_model(DummyClassifier().fit([[0], [1]], [0, 1]), folder)
    >>> type(load_model(path, digest)).__name__
    'DummyClassifier'
    """
    data = _serialize(model, serializer)
    path = folder / FILE_NAMES[serializer]
    atomic_write_bytes(path, data)
    return path, hashlib.sha256(data).hexdigest()


def load_model(path: str | Path, sha256: str) -> Any:
    """Load a model file after checking it is the one that was saved."""
    path = Path(path)
    data = path.read_bytes() if path.exists() else None
    return model_from_bytes(data, sha256, f"{path.parent.name}/{path.name}")


def model_from_bytes(data: bytes | None, sha256: str, name: str) -> Any:
    """The model in ``data`` (the file ``name``, e.g. ``v3/model.joblib``; None: missing),
    after checking its SHA-256 is the one recorded when it was saved.

    Examples
    --------
    >>> model_from_bytes(b"tampered", "0" * 64, "v1/model.joblib")
    Traceback (most recent call last):
    ...
    calmops.errors.ModelIntegrityError: model file v1/model.joblib does not match ...
    """
    if data is None:
        folder, _, file = name.rpartition("/")
        raise ModelIntegrityError(f"model file {file} is missing from {folder}/")
    found = hashlib.sha256(data).hexdigest()
    if found != sha256:
        raise ModelIntegrityError(
            f"model file {name} does not match its recorded checksum "
            f"(expected {sha256[:12]}…, found {found[:12]}…): it was changed or corrupted "
            "after it was saved; roll back to another version or retrain"
        )
    if name.endswith(".skops"):
        skops_io = _skops()
        untrusted = skops_io.get_untrusted_types(data=data)
        return skops_io.loads(data, trusted=untrusted)
    import joblib

    return joblib.load(io.BytesIO(data))


def _serialize(model: Any, serializer: str) -> bytes:
    if serializer == "skops":
        return _skops().dumps(model)
    if serializer != "joblib":
        raise SpecError(f"model.serializer: must be one of joblib, skops (got {serializer!r})")
    import joblib

    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def _skops() -> Any:
    try:
        import skops.io as skops_io
    except ImportError:
        raise SpecError(
            "model.serializer: skops is not installed; run `pip install skops` or use joblib"
        ) from None
    return skops_io
