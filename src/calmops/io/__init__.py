"""Reading data files into tables, whatever their format.

>>> import pandas as pd, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "batch.csv").write_text("x;y;label\\n1.5;a;0\\n2.5;b;1\\n")
>>> read_table(folder / "batch.csv").dtypes.astype(str).tolist()
['float64', 'str', 'int64']
"""

from __future__ import annotations

from calmops.io.formats import SUPPORTED_FORMATS, detect_format
from calmops.io.read import read_table
from calmops.io.roles import RoleHint, role_hints
from calmops.io.schema import ColumnSchema, Schema, infer_schema

__all__ = [
    "SUPPORTED_FORMATS",
    "ColumnSchema",
    "RoleHint",
    "Schema",
    "detect_format",
    "infer_schema",
    "read_table",
    "role_hints",
]
