"""A workspace: the folder that holds every pipeline and, by default, the store.

::

    <home>/calmops.db                  SQLite store (or CALMOPS_DB_URL)
    <home>/pipelines/<name>/config/    pipeline.yaml, the validated spec
                           models/     one folder per model version
                           logs/       pipeline.log, events.jsonl
                           metrics/    runs/<run-id>.json reports
                           reference/  reference profiles for drift
                           data/       retained training data

Creating, changing and deleting a pipeline touch its folder and its store row together:
the folder is laid out under a temporary name and renamed inside the store transaction, so a
failure at any step leaves no trace.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from calmops.artifacts import ArtifactStore, LocalArtifacts, open_artifacts
from calmops.atomic import atomic_write_text, staged_folder
from calmops.errors import PipelineExistsError, PipelineNotFoundError, SpecError
from calmops.settings import Settings, get_settings
from calmops.spec import PipelineSpec, validate_name
from calmops.store import EventRecord, PipelineRecord, Store, open_store

__all__ = ["REPORTS", "PipelinePaths", "Workspace"]

SPEC_FILE = Path("config") / "pipeline.yaml"
REPORTS = "metrics/runs"  # the key of the run reports in a pipeline's artifact store


@dataclass(frozen=True)
class PipelinePaths:
    """Where one pipeline keeps its files: ``root`` on this machine, and its artifacts
    (models, reference profiles, retained data, run reports, prediction logs) in ``store``
    (None: in ``root`` itself, the default)."""

    root: Path
    store: ArtifactStore | None = field(default=None, compare=False)

    @property
    def artifacts(self) -> ArtifactStore:
        """The artifact store of this pipeline, keys relative to its folder."""
        return self.store if self.store is not None else LocalArtifacts(self.root)

    @property
    def spec_file(self) -> Path:
        return self.root / SPEC_FILE

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def metrics(self) -> Path:
        return self.root / "metrics"

    @property
    def runs(self) -> Path:
        return self.metrics / "runs"

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def folders(self) -> tuple[Path, ...]:
        return (self.config, self.models, self.logs, self.runs, self.reference, self.data)


class Workspace:
    """The pipelines of one home folder and the store that records them.

    Examples
    --------
    >>> import tempfile
    >>> from calmops.settings import Settings
    >>> home = Path(tempfile.mkdtemp())
    >>> ws = Workspace(Settings(home=home))
    >>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": str(home / "in")}})
    >>> ws.create(spec).name
    'demo'
    >>> sorted(p.name for p in ws.paths("demo").root.iterdir())
    ['config', 'data', 'logs', 'metrics', 'models', 'reference']
    """

    def __init__(self, settings: Settings | None = None, store: Store | None = None) -> None:
        self.settings = settings or get_settings()
        self.home = self.settings.home
        self._store = store

    @cached_property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use."""
        return self._store if self._store is not None else open_store(self.settings.store_url)

    @cached_property
    def artifacts(self) -> ArtifactStore:
        """The artifact store of the workspace (its own folder unless told otherwise)."""
        return open_artifacts(self.settings.artifacts_url, self.home)

    @property
    def pipelines_dir(self) -> Path:
        return self.home / "pipelines"

    def paths(self, name: str) -> PipelinePaths:
        """The folders of pipeline ``name`` (the name is validated first)."""
        root = self.pipelines_dir / validate_name(name)
        if not self.settings.artifacts_url:
            return PipelinePaths(root)
        return PipelinePaths(root, self.artifacts.child(f"pipelines/{name}"))

    # ---- reading -----------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether this workspace has a store yet (reading never creates one)."""
        if self._store is not None or self.settings.db_url:
            return True
        return (self.home / "calmops.db").exists()

    def get(self, name: str) -> PipelineRecord:
        """The store record of pipeline ``name``; raises PipelineNotFoundError."""
        validate_name(name)
        if not self.exists():
            raise PipelineNotFoundError(name)
        return self.store.pipelines.get(name)

    def list(self) -> list[PipelineRecord]:
        """Every pipeline, by name."""
        return self.store.pipelines.list() if self.exists() else []

    def spec(self, name: str) -> PipelineSpec:
        """The validated spec of pipeline ``name``, read from its ``config/pipeline.yaml``."""
        self.get(name)
        spec_file = self.paths(name).spec_file
        if not spec_file.exists():
            raise SpecError(
                f"pipeline '{name}' has no spec file at {spec_file}; "
                f"recreate it or run `calmops delete {name}`"
            )
        return PipelineSpec.from_yaml(spec_file, check_names=False)  # checked when saved

    # ---- changing ----------------------------------------------------------------------

    def create(self, spec: PipelineSpec) -> PipelineRecord:
        """Lay out the pipeline's folder and record it in the store, both or neither."""
        from calmops.models.factory import build_model

        build_model(spec.model)
        final = self.paths(spec.name).root
        if final.exists() and self._known(spec.name):
            raise PipelineExistsError(spec.name)
        if final.exists():
            raise PipelineExistsError(
                spec.name,
                f"folder {final} exists but no pipeline '{spec.name}' is recorded; "
                "move it away or choose another name",
            )
        record = PipelineRecord(
            name=spec.name, kind=spec.kind, trigger=spec.trigger.type, spec=spec.to_dict()
        )
        try:
            with staged_folder(final, replace=False) as staged:
                self._lay_out(PipelinePaths(staged.path), spec)
                # the folder appears inside the transaction that records the pipeline
                created = self.store.pipelines.create(record, before_commit=staged.publish)
        except BaseException:
            if final.exists() and not self._known(spec.name):
                shutil.rmtree(final, ignore_errors=True)
            raise
        spec.data.dir.mkdir(parents=True, exist_ok=True)
        self._event(spec.name, "created", f"pipeline created ({spec.kind}, {spec.trigger.type})")
        return created

    def update(self, name: str, changes: dict[str, Any]) -> PipelineSpec:
        """Apply ``{"dotted.path": value}`` changes, validate, and save file and row together."""
        updated = self.spec(name).with_changes(changes)
        return self.replace(name, updated, changed=sorted(changes))

    def replace(
        self, name: str, spec: PipelineSpec, changed: list[str] | None = None
    ) -> PipelineSpec:
        """Replace the spec of pipeline ``name`` with ``spec`` (validated, same name), saving
        file and row together; ``changed`` names the changed fields for the event."""
        if spec.name != name:
            raise SpecError(
                f"name: the spec is for '{spec.name}', not '{name}' (names cannot change)"
            )
        current = self.spec(name)
        if spec.model != current.model:
            from calmops.models.factory import build_model

            build_model(spec.model)
        spec_file = self.paths(name).spec_file
        self.store.pipelines.update(
            name,
            spec=spec.to_dict(),
            before_commit=lambda: atomic_write_text(spec_file, spec.to_yaml()),
        )
        changed = changed if changed is not None else ["spec"]
        self._event(name, "updated", f"spec updated: {', '.join(changed)}", {"changes": changed})
        return spec

    def delete(self, name: str) -> None:
        """Remove the pipeline's folder and its store records, both or neither."""
        self.get(name)
        folder = self.paths(name).root
        trash = self.pipelines_dir / f".deleting-{name}-{uuid.uuid4().hex[:8]}"

        def move_away() -> None:
            if folder.exists():
                folder.rename(trash)

        try:
            self.store.pipelines.delete(name, before_commit=move_away)
        except BaseException:
            if trash.exists() and not folder.exists():
                trash.rename(folder)
            raise
        shutil.rmtree(trash, ignore_errors=True)
        if self.settings.artifacts_url:
            self.artifacts.delete(f"pipelines/{name}")

    # ---- helpers -----------------------------------------------------------------------

    def _event(self, name: str, kind: str, message: str, data: dict | None = None) -> None:
        self.store.events.add(
            EventRecord(pipeline=name, kind=kind, message=message, data=data or {})
        )

    def _known(self, name: str) -> bool:
        try:
            self.store.pipelines.get(name)
        except PipelineNotFoundError:
            return False
        return True

    @staticmethod
    def _lay_out(paths: PipelinePaths, spec: PipelineSpec) -> None:
        for folder in paths.folders():
            folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(paths.spec_file, spec.to_yaml())
