"""``Pipeline``: one pipeline of a workspace, to run and to read from in Python.

What ``calmops run``, ``runs``, ``report``, ``models``, ``promote``, ``rollback``, ``update``
and ``delete`` do for one pipeline, as methods returning typed records
(:class:`~calmops.api.results.Run`, :class:`~calmops.api.results.Model`,
:class:`~calmops.pipeline.report.RunReport`, :class:`~calmops.drift.DriftReport`).
Get one from :meth:`calmops.Workspace.create` or :meth:`calmops.Workspace.pipeline`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from calmops.api.results import Model, Run, runs_frame
from calmops.errors import CalmopsError, SpecError
from calmops.models.registry import ModelRegistry
from calmops.pipeline.manual import ManualMove, move_champion
from calmops.pipeline.report import RunReport
from calmops.pipeline.runner import Runner, RunResult
from calmops.workspace import PipelinePaths
from calmops.workspace import Workspace as CoreWorkspace

if TYPE_CHECKING:
    from calmops.drift.report import DriftReport
    from calmops.spec import PipelineSpec
    from calmops.store import RunRecord

__all__ = ["Pipeline"]

PathLike = str | os.PathLike[str]


class Pipeline:
    """A pipeline of a workspace: run it on a file or a DataFrame, read its runs, reports,
    drift and models, move its champion.

    Examples
    --------
    >>> import tempfile, calmops
    >>> from calmops.data_generators import generate_stream
    >>> home = Path(tempfile.mkdtemp())
    >>> ws = calmops.open(home)
    >>> pipe = ws.create({"name": "demo", "data": {"dir": str(home / "in"), "target": "y"},
    ...                   "model": {"class": "sklearn.linear_model.LogisticRegression"}})
    >>> data, _ = generate_stream("sea", 1000, seed=0, target="y")
    >>> first = pipe.run(data[:500])
    >>> first.decision, first.champion_version
    ('train', 1)
    >>> csv = home / "batch2.csv"; data[500:].to_csv(csv, index=False)
    >>> second = pipe.run(str(csv))
    >>> second.status, second.decision in ("no_drift", "retrain")
    ('succeeded', True)
    >>> [m.version for m in pipe.models()], pipe.aliases()
    ([1], {'champion': 1})
    >>> report = pipe.report()
    >>> report.run_id == second.id, report.to_frame().index.tolist()
    (True, ['x0', 'x1', 'x2'])
    """

    def __init__(self, workspace: CoreWorkspace, name: str) -> None:
        workspace.get(name)  # raises PipelineNotFoundError
        self._ws = workspace
        self.name = name

    def __repr__(self) -> str:
        return f"Pipeline({self.name!r}, home={str(self._ws.home)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Pipeline)
            and other.name == self.name
            and other._ws.home == self._ws.home
        )

    def __hash__(self) -> int:
        return hash((self.name, self._ws.home))

    # ---- what it is ----------------------------------------------------------------------

    @property
    def spec(self) -> PipelineSpec:
        """The validated spec (read from ``config/pipeline.yaml`` each time)."""
        return self._ws.spec(self.name)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def paths(self) -> PipelinePaths:
        """Its folders: ``root``, ``models``, ``logs``, ``runs`` (report files), ..."""
        return self._ws.paths(self.name)

    # ---- running -------------------------------------------------------------------------

    def run(self, data: PathLike | pd.DataFrame) -> Run:
        """Run one batch: a data file (``str`` or ``Path``, any format ``read_table`` reads)
        or a DataFrame; returns the run as recorded.

        A file whose content was processed before is not run again (``status`` is
        ``skipped``); a DataFrame is always run (no ledger entry). A failed run is returned,
        not raised: read ``status`` and ``reason``. With ``data.chunk`` in the spec, use
        :meth:`run_files` (a file may make several runs).
        """
        if isinstance(data, pd.DataFrame):
            with Runner(self._ws, self.name) as runner:
                return self._as_run(runner.run_frame(data))
        if self.spec.data.chunk is not None:
            raise SpecError(
                f"pipeline '{self.name}' cuts files into chunks (data.chunk), so one file may "
                "make several runs: use Pipeline.run_files([path])"
            )
        with Runner(self._ws, self.name) as runner:
            return self._as_run(runner.run_file(Path(data)))

    def run_files(self, paths: PathLike | list[PathLike]) -> list[Run]:
        """Run these files in order (their chunks with ``data.chunk``), one run each."""
        chosen = [Path(paths)] if isinstance(paths, str | os.PathLike) else list(map(Path, paths))
        with Runner(self._ws, self.name) as runner:
            return [self._as_run(result) for result in runner.run_files(chosen)]

    def run_pending(self) -> list[Run]:
        """Run every file of ``data.dir`` not processed yet, oldest first (``calmops run
        NAME --once``)."""
        with Runner(self._ws, self.name) as runner:
            return [self._as_run(result) for result in runner.run_pending()]

    def pending(self) -> list[Path]:
        """The files of ``data.dir`` not processed yet, oldest first."""
        with Runner(self._ws, self.name) as runner:
            return runner.pending()

    # ---- reading runs --------------------------------------------------------------------

    def runs(self, limit: int = 50) -> list[Run]:
        """The newest ``limit`` runs, newest first."""
        store = self._ws.store
        return [Run.from_record(r, self._record) for r in store.runs.list(self.name, limit=limit)]

    def runs_frame(self, limit: int = 50) -> pd.DataFrame:
        """:meth:`runs` as a DataFrame (index ``id``; the champion's metrics as columns)."""
        return runs_frame(self.runs(limit))

    def last_run(self) -> Run | None:
        """The newest run, or None before the first."""
        latest = self._ws.store.runs.latest(self.name)
        return None if latest is None else Run.from_record(latest, self._record)

    def get_run(self, run_id: str) -> Run:
        """The run ``run_id``; raises RunNotFoundError."""
        return Run.from_record(self._record(run_id), self._record)

    def report(self, run_id: str | None = None) -> RunReport:
        """The full report of run ``run_id`` (default: the newest run), as ``calmops
        report`` shows it; in a notebook it displays itself."""
        if run_id is None:
            latest = self.last_run()
            if latest is None:
                raise CalmopsError(f"pipeline '{self.name}' has no runs yet")
            run_id = latest.id
        record = self._record(run_id)
        return RunReport.from_dict(record.report or {"run_id": record.id, "status": record.status})

    def drift(self, run_id: str | None = None) -> DriftReport | None:
        """The data drift of run ``run_id`` (default: the newest), None if it tested none."""
        return self.report(run_id).drift_report

    # ---- models --------------------------------------------------------------------------

    def models(self) -> list[Model]:
        """Every model version, oldest first, with its aliases and holdout metrics."""
        aliases = self.aliases()
        versions = self._ws.store.models.versions(self.name)
        return [Model.from_version(v, aliases) for v in versions]

    def aliases(self) -> dict[str, int]:
        """``{alias: version}``: champion, previous, challenger, shadow."""
        return self._ws.store.models.aliases(self.name)

    @property
    def champion(self) -> Model | None:
        """The serving version, or None before the first model."""
        number = self.aliases().get("champion")
        if number is None:
            return None
        return Model.from_version(self._ws.store.models.get(self.name, number), self.aliases())

    def load_model(self, version: int | None = None) -> Any:
        """The fitted model of ``version`` (default: the champion), verified against the
        checksum recorded when it was saved."""
        registry = ModelRegistry(self._ws.store, self.name, self.paths.artifacts.child("models"))
        if version is None:
            chosen = registry.alias("champion")
            if chosen is None:
                raise CalmopsError(
                    f"pipeline '{self.name}' has no champion yet: run it on labelled data"
                )
            return registry.load(chosen)
        return registry.load(registry.get(version))

    def promote(self, version: int, reason: str) -> ManualMove:
        """Make ``version`` the champion (``calmops promote``); ``reason`` is required and
        kept in the alias history. The returned move carries a warning when ``version``
        scored worse than the champion on the newest labelled batch."""
        return move_champion(self._ws, self.name, version, reason, by="the Python API")

    def rollback(self, reason: str) -> ManualMove:
        """Make the previous champion the champion again (``calmops rollback``)."""
        return move_champion(self._ws, self.name, None, reason, by="the Python API")

    # ---- changing ------------------------------------------------------------------------

    def update(self, changes: dict[str, Any]) -> PipelineSpec:
        """Apply ``{"dotted.path": value}`` changes to the spec, validated as on create
        (``calmops update NAME --set``); returns the new spec."""
        return self._ws.update(self.name, changes)

    # ---- helpers -------------------------------------------------------------------------

    def _record(self, run_id: str) -> RunRecord:
        return self._ws.store.runs.get(self.name, run_id)

    def _as_run(self, result: RunResult) -> Run:
        if result.run_id is None:
            return Run.skipped(self.name, result)
        return Run.from_record(self._record(result.run_id), self._record)
