"""Profiles on disk: a folder with ``profile.json`` (counts, moments, categories) and
``arrays.npz`` (samples, bin edges and counts, the row sample); no pickle.

The arrays are written first and ``profile.json`` last, each atomically, so a folder with a
``profile.json`` is a whole profile. Schema version 1 (samples drawn at fixed ranks) is still
read.

Examples
--------
>>> import tempfile, pandas as pd
>>> from calmops.drift.profile import Profile
>>> with tempfile.TemporaryDirectory() as tmp:
...     back = read_profile(write_profile(Profile.fit(pd.DataFrame({"x": [1.0, 2.0, 4.0]})), tmp))
>>> back.n_rows, back.columns["x"].side.sample.tolist()
(3, [1.0, 2.0, 4.0])
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from calmops.atomic import atomic_write_bytes, atomic_write_text
from calmops.drift.profile import DEFAULT_ROW_SAMPLE, ColumnProfile, Profile
from calmops.drift.sides import CategoricalSide, NumericSide, Side
from calmops.errors import DataValidationError

__all__ = ["FORMAT", "READABLE_VERSIONS", "SCHEMA_VERSION", "read_profile", "write_profile"]

FORMAT = "calmops.drift.profile"
SCHEMA_VERSION = 2
#: schema versions :func:`read_profile` reads (1: samples drawn at fixed ranks; refit them)
READABLE_VERSIONS = (1, 2)
_NUMERIC_FIELDS = ("n", "n_missing", "n_infinite", "n_unique", "mean", "std", "min", "max")


def write_profile(profile: Profile, path: str | Path) -> Path:
    """Write ``profile`` to the folder ``path`` (created if missing); returns the folder."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {"row_sample": profile.row_sample}
    meta_columns = []
    for i, col in enumerate(profile.columns.values()):
        entry: dict[str, Any] = {
            "name": col.name,
            "kind": col.kind,
            "dtype": col.dtype,
            "n_rows": col.n_rows,
            "mixed_types": col.mixed_types,
        }
        side = col.side
        if isinstance(side, NumericSide):
            entry["numeric"] = {k: _jsonable(getattr(side, k)) for k in _NUMERIC_FIELDS}
            arrays[f"{i}.sample"] = side.sample
            arrays[f"{i}.edges"] = side.edges
            arrays[f"{i}.counts"] = side.counts
        else:
            entry["categorical"] = {
                "categories": side.categories.tolist(),
                "counts": side.counts.tolist(),
                "n_missing": side.n_missing,
            }
        meta_columns.append(entry)
    meta = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "n_rows": profile.n_rows,
        "cap": profile.cap,
        "bins": profile.bins,
        "seed": profile.seed,
        "row_sample_columns": list(profile.row_sample_columns),
        "skipped": profile.skipped,
        "fixed_edges": profile.fixed_edges,
        "row_sample_size": profile.row_sample_size,
        "columns": meta_columns,
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    # arrays first: profile.json, written last, is what makes the folder a profile
    atomic_write_bytes(folder / "arrays.npz", buffer.getvalue())
    atomic_write_text(folder / "profile.json", json.dumps(meta, indent=1, ensure_ascii=False))
    return folder


def read_profile(path: str | Path) -> Profile:
    """Read a profile written by :func:`write_profile`; a clear error for anything else."""
    folder = Path(path)
    try:
        meta = json.loads((folder / "profile.json").read_text(encoding="utf-8"))
        npz = np.load(folder / "arrays.npz", allow_pickle=False)
    except (OSError, ValueError) as error:
        raise DataValidationError(f"{folder}: not a readable drift profile ({error})") from None
    if meta.get("format") != FORMAT or meta.get("schema_version") not in READABLE_VERSIONS:
        raise DataValidationError(
            f"{folder}: not a drift profile of schema version {SCHEMA_VERSION}"
        )
    with npz:
        columns: dict[str, ColumnProfile] = {}
        for i, entry in enumerate(meta["columns"]):
            if "numeric" in entry:
                num = {k: _float(v) for k, v in entry["numeric"].items()}
                side: Side = NumericSide(
                    **{k: int(num[k]) for k in ("n", "n_missing", "n_infinite", "n_unique")},
                    **{k: num[k] for k in ("mean", "std", "min", "max")},
                    **{k: npz[f"{i}.{k}"] for k in ("sample", "edges", "counts")},
                )
            else:
                cat = entry["categorical"]
                side = CategoricalSide(
                    np.array(cat["categories"], dtype=object),
                    np.array(cat["counts"], dtype="int64"),
                    int(cat["n_missing"]),
                )
            columns[entry["name"]] = ColumnProfile(
                entry["name"], entry["kind"], entry["dtype"], entry["n_rows"], side,
                entry["mixed_types"],
            )  # fmt: skip
        rows = npz["row_sample"]
    return Profile(
        columns, meta["n_rows"], meta["cap"], meta["bins"], meta["seed"], rows,
        tuple(meta["row_sample_columns"]), dict(meta["skipped"]),
        bool(meta.get("fixed_edges", False)),
        int(meta.get("row_sample_size", max(len(rows), DEFAULT_ROW_SAMPLE))),
    )  # fmt: skip


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)
