"""Moving a workspace to a new store and a new artifact store (``calmops migrate``).

The store's rows are copied into the target database (``calmops.store.sql.copy``), the
artifacts of every pipeline (model versions, reference profiles, retained data, run
reports, prediction logs) into the target artifact store, each object read back and its
SHA-256 compared with the source's; every model version's file is also checked against the
checksum the store recorded. Row counts are compared table by table. Only then is
``<home>/settings.yaml`` written, so the workspace's next commands use the new places; the
source is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calmops.artifacts import ArtifactStore, open_artifacts, sha256_bytes
from calmops.atomic import atomic_write_text
from calmops.errors import ArtifactError, ModelIntegrityError, StoreError
from calmops.settings import SETTINGS_FILE
from calmops.workspace import Workspace

__all__ = ["ARTIFACT_FOLDERS", "Migration", "migrate"]

#: the folders of a pipeline that hold artifacts (config/ and logs/ stay on each host)
ARTIFACT_FOLDERS = ("models", "reference", "data", "metrics", "predictions", "feedback")


@dataclass(frozen=True)
class Migration:
    """What :func:`migrate` did."""

    store: str
    artifacts: str
    rows: dict[str, int]
    objects: dict[str, int] = field(default_factory=dict)  # per pipeline
    bytes: int = 0
    models_verified: int = 0


def migrate(ws: Workspace, to: str, artifacts: str) -> Migration:
    """Copy ``ws``'s store rows to the database ``to`` and its artifacts to ``artifacts``,
    verify both, and point the workspace at them.

    Raises StoreError (target not empty, counts differ) or ArtifactError (a copy that does
    not read back the same), leaving the workspace's settings unchanged.
    """
    from calmops.store.sql import SqlStore
    from calmops.store.sql.copy import copy_rows, row_counts
    from calmops.store.sql.session import safe_url

    source = ws.store
    if not isinstance(source, SqlStore):
        raise StoreError("only a SQL store can be migrated")
    target = SqlStore(to)
    try:
        rows = copy_rows(source, target)
        counts, expected = row_counts(target.engine), row_counts(source.engine)
        if counts != expected:
            differ = {k: (expected[k], counts[k]) for k in counts if counts[k] != expected[k]}
            raise StoreError(f"row counts differ after the copy (source, target): {differ}")
        destination = open_artifacts(artifacts, ws.home)
        objects, size = {}, 0
        for record in ws.list():
            copied, written = _copy_pipeline(ws, record.name, destination)
            objects[record.name], size = copied, size + written
        verified = _verify_models(ws, destination)
    finally:
        target.close()
    settings = {"db_url": to, "artifacts": artifacts}
    atomic_write_text(ws.home / SETTINGS_FILE, "".join(f"{k}: {v}\n" for k, v in settings.items()))
    return Migration(safe_url(to), artifacts, rows, objects, size, verified)


def _copy_pipeline(ws: Workspace, name: str, destination: ArtifactStore) -> tuple[int, int]:
    """Copy one pipeline's artifacts, each read back and compared; (objects, bytes)."""
    source = ws.paths(name).artifacts
    target = destination.child(f"pipelines/{name}")
    count = size = 0
    for folder in ARTIFACT_FOLDERS:
        for key in source.list(folder):
            if any(part.startswith(".") for part in key.split("/")):
                continue  # a hint file or a staging folder, not an artifact
            data = source.get(key)
            digest = target.put(key, data)
            if sha256_bytes(target.get(key)) != digest or digest != sha256_bytes(data):
                raise ArtifactError(f"{name}/{key}: the copy does not read back the same")
            count, size = count + 1, size + len(data)
    return count, size


def _verify_models(ws: Workspace, destination: ArtifactStore) -> int:
    """Check every model version's copied file against its recorded checksum; how many."""
    checked = 0
    for record in ws.list():
        for version in ws.store.models.versions(record.name):
            data = destination.get(f"pipelines/{record.name}/{version.path}")
            if sha256_bytes(data) != version.sha256:
                raise ModelIntegrityError(
                    f"{record.name} v{version.version}: its copied model does not match the "
                    "checksum recorded in the store"
                )
            checked += 1
    return checked
