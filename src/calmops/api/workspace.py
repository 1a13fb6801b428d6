"""``Workspace``: the Python entry point, a home folder of pipelines and its store.

``calmops.open(home)`` (or ``calmops.Workspace(home)``) opens a workspace as the CLI's
``--home`` does (default: ``CALMOPS_HOME``, else ``./calmops-home``); it creates pipelines
from a spec and hands out :class:`~calmops.api.pipeline.Pipeline` objects to run and read.
The folder-and-store mechanics live in :class:`calmops.workspace.Workspace`, reachable as
:attr:`Workspace.core`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from calmops.api.pipeline import Pipeline
from calmops.errors import PipelineNotFoundError, SpecError
from calmops.settings import get_settings
from calmops.spec import PipelineSpec
from calmops.strict_yaml import load_yaml
from calmops.workspace import Workspace as CoreWorkspace

__all__ = ["SpecLike", "Workspace", "open_workspace", "to_spec"]

SpecLike = PipelineSpec | dict[str, Any] | str | os.PathLike[str]
"""A spec as :meth:`Workspace.create` takes it: a ``PipelineSpec``, a mapping, a YAML file
(``str`` or ``Path``) or YAML text."""


class Workspace:
    """The pipelines of one home folder.

    Parameters
    ----------
    home
        The workspace folder (``str`` or ``Path``); default ``CALMOPS_HOME``, else
        ``./calmops-home``. It is created when the first pipeline is.
    db_url
        A store URL (PostgreSQL) instead of ``<home>/calmops.db``; default
        ``CALMOPS_DB_URL``.

    Examples
    --------
    >>> import tempfile
    >>> home = tempfile.mkdtemp()
    >>> ws = Workspace(home)
    >>> ws.pipelines()
    []
    >>> pipe = ws.create('''
    ... name: churn
    ... data: {dir: incoming, target: churned}
    ... ''', base_dir=home)
    >>> pipe.name, pipe.spec.data.dir == Path(home) / "incoming"
    ('churn', True)
    >>> "churn" in ws, [p.name for p in ws.pipelines()]
    (True, ['churn'])
    >>> ws["churn"] == pipe
    True
    >>> ws.delete("churn"); ws.pipelines()
    []
    """

    def __init__(
        self, home: str | os.PathLike[str] | None = None, *, db_url: str | None = None
    ) -> None:
        settings = get_settings(home=home)
        if db_url is not None:
            settings = dataclasses.replace(settings, db_url=db_url)
        self.core = CoreWorkspace(settings)

    @property
    def home(self) -> Path:
        """The workspace folder (absolute)."""
        return self.core.home

    def __repr__(self) -> str:
        return f"Workspace({str(self.home)!r})"

    # ---- pipelines -----------------------------------------------------------------------

    def create(self, spec: SpecLike, *, base_dir: str | os.PathLike[str] | None = None) -> Pipeline:
        """Create a pipeline from ``spec`` (checked like ``calmops create -f``) and lay out
        its folder; relative paths in a mapping or YAML text are taken from ``base_dir``
        (default: the current folder), in a YAML file from the file's folder."""
        created = self.core.create(to_spec(spec, base_dir=base_dir))
        return Pipeline(self.core, created.name)

    def pipeline(self, name: str) -> Pipeline:
        """The pipeline ``name``; raises PipelineNotFoundError (a ``LookupError``)."""
        return Pipeline(self.core, name)

    __getitem__ = pipeline

    def pipelines(self) -> list[Pipeline]:
        """Every pipeline, by name."""
        return [Pipeline(self.core, record.name) for record in self.core.list()]

    def __iter__(self) -> Iterator[Pipeline]:
        return iter(self.pipelines())

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self.core.get(name)
        except (PipelineNotFoundError, SpecError):
            return False
        return True

    def delete(self, name: str) -> None:
        """Delete the pipeline ``name``: its folder (models, logs, metrics) and its records.
        (``calmops delete`` also stops its monitor first; stop it before deleting here.)"""
        self.core.delete(name)

    # ---- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the store's connections (reopened on next use)."""
        store = self.core.__dict__.pop("store", None)
        if store is not None:
            store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(
    home: str | os.PathLike[str] | None = None, *, db_url: str | None = None
) -> Workspace:
    """Open the workspace at ``home`` (``calmops.open``); see :class:`Workspace`.

    >>> import tempfile
    >>> open_workspace(tempfile.mkdtemp()).pipelines()
    []
    """
    return Workspace(home, db_url=db_url)


def to_spec(spec: SpecLike, *, base_dir: str | os.PathLike[str] | None = None) -> PipelineSpec:
    """A validated :class:`PipelineSpec` from any :data:`SpecLike`.

    A ``str`` is a file path when it names an existing file or ends in ``.yaml``/``.yml``
    and holds no newline; otherwise YAML text.

    >>> to_spec({"name": "a", "data": {"dir": "in"}}, base_dir="/tmp").data.dir.as_posix()
    '/tmp/in'
    >>> to_spec("name: a\\ndata: {dir: /data}").name
    'a'
    >>> to_spec(42)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: a spec is a PipelineSpec, a mapping, ... YAML text (got int)
    """
    base = None if base_dir is None else Path(base_dir).absolute()
    if isinstance(spec, PipelineSpec):
        return spec
    if isinstance(spec, dict):
        return PipelineSpec.from_dict(spec, base_dir=base)
    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and _names_a_file(spec)):
        return PipelineSpec.from_yaml(Path(spec))
    if isinstance(spec, str):
        try:
            data = load_yaml(spec)
        except yaml.YAMLError as error:
            raise SpecError(f"the spec text is not valid YAML ({error})") from None
        return PipelineSpec.from_dict(data, base_dir=base)
    raise SpecError(
        f"a spec is a PipelineSpec, a mapping, a YAML file or YAML text (got {type(spec).__name__})"
    )


def _names_a_file(text: str) -> bool:
    if "\n" in text:
        return False
    return text.lower().endswith((".yaml", ".yml")) or Path(text).is_file()
