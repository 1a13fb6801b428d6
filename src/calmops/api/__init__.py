"""The Python API: what the CLI does, as objects.

>>> import tempfile, calmops
>>> ws = calmops.open(tempfile.mkdtemp())
>>> type(ws).__name__, ws.pipelines()
('Workspace', [])

:class:`Workspace` creates and lists pipelines; a :class:`Pipeline` runs on files or
DataFrames and reads back its :class:`Run` records, run reports, drift and :class:`Model`
versions.
"""

from __future__ import annotations

from calmops.api.pipeline import Pipeline
from calmops.api.results import Model, Run
from calmops.api.workspace import SpecLike, Workspace, open_workspace, to_spec

__all__ = ["Model", "Pipeline", "Run", "SpecLike", "Workspace", "open_workspace", "to_spec"]
