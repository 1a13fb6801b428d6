"""Reference profiles: summarise the reference once, compare many batches against it.

A :class:`Profile` keeps, per column, what every drift test and quality check needs:

- numeric columns: count, missing and infinite counts, mean, standard deviation, min, max,
  number of distinct values, counts in equal-mass bins at the reference quantiles (10 by
  default), and the **sorted values themselves, up to** ``cap`` **of them** (100,000 by
  default; ``cap=None`` keeps every value) for KS, Cramér-von Mises, Anderson-Darling,
  Mann-Whitney, Wasserstein and energy. Up to the cap the stored values are the reference
  and every test against the profile equals scipy's on the full data (statistic and
  p-value). Above it they are a seeded uniform random sample of ``cap`` rows (drawn by row
  position, so it is a random sample for every data set, not a fixed set of ranks): the
  p-value tests stay exactly calibrated, with the power of a reference of ``cap`` rows (KS
  sees an effective size ``cap * n / (cap + n)``), and distances carry a sampling error of
  order ``1 / sqrt(cap)`` reference standard deviations (about 0.003 at the default cap).
  A column at the cap costs 800 kB in ``arrays.npz`` (float64);
- categorical and binary columns: category counts and the missing count;
- a seeded sample of at most 2,000 whole rows of the numeric columns, for the
  multivariate tests.

Profiles save to a folder (``profile.json`` plus ``arrays.npz``; no pickle) and load back,
and two profiles of partitions of one table :meth:`~Profile.merge` into a profile of their
union (exact for counts, moments, ranges and categories; the sample is a uniform sample of
the union; bin counts are exact when both partitions share edges or fit under the cap, and
estimated from the samples otherwise). A profile fitted on given bin ``edges`` (a current
batch binned like its reference, see :func:`calmops.drift.partitioned.compare_parquet`) keeps
them through merges, so its bin counts stay exact.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.atomic import atomic_write_bytes, atomic_write_text
from calmops.drift.kinds import column_kind, parse_numbers
from calmops.drift.merging import merge_categorical, merge_numeric, merge_samples
from calmops.drift.sides import DEFAULT_BINS, CategoricalSide, NumericSide, Side
from calmops.errors import DataValidationError

__all__ = ["ColumnProfile", "Profile", "column_kind"]

FORMAT = "calmops.drift.profile"
SCHEMA_VERSION = 2
#: schema versions :meth:`Profile.load` reads (1: samples drawn at fixed ranks; refit them)
READABLE_VERSIONS = (1, 2)
DEFAULT_CAP = 100_000
DEFAULT_ROW_SAMPLE = 2_000
_NUMERIC_FIELDS = ("n", "n_missing", "n_infinite", "n_unique", "mean", "std", "min", "max")


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


@dataclass(frozen=True, eq=False)
class ColumnProfile:
    """The reference summary of one column; ``side`` is what the drift tests read."""

    name: str
    kind: str
    dtype: str
    n_rows: int
    side: Side = field(repr=False)
    mixed_types: bool = False
    n_unparseable: int = 0  # values of a numeric column that are not numbers (counted missing)

    @property
    def missing_rate(self) -> float:
        """Share of missing values (NaN or None)."""
        return self.side.n_missing / self.n_rows if self.n_rows else 0.0


def profile_column(
    name: str,
    values: pd.Series,
    kind: str,
    *,
    mixed: bool = False,
    cap: int | None = DEFAULT_CAP,
    bins: int = DEFAULT_BINS,
    seed: int = 0,
    edges: np.ndarray | None = None,
) -> ColumnProfile:
    """Summarise one reference column as ``kind`` (numbers binned on ``edges`` if given)."""
    unparseable = 0
    if kind == "numeric":
        numbers, unparseable = parse_numbers(values)
        side: Side = NumericSide.from_values(
            numbers, edges=edges, bins=bins, cap=cap, seed=_rng(seed, name)
        )
    else:
        side = CategoricalSide.from_values(values)
    return ColumnProfile(name, kind, str(values.dtype), int(values.size), side, mixed, unparseable)


@dataclass(frozen=True, eq=False)
class Profile:
    """A summary of a reference table; build it with :meth:`fit`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=1000), "c": rng.choice(["a", "b", "c"], 1000)})
    >>> profile = Profile.fit(df)
    >>> profile.n_rows, {name: col.kind for name, col in profile.columns.items()}
    (1000, {'x': 'numeric', 'c': 'categorical'})
    """

    columns: dict[str, ColumnProfile]
    n_rows: int
    cap: int | None = DEFAULT_CAP
    bins: int = DEFAULT_BINS
    seed: int = 0
    row_sample: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    row_sample_columns: tuple[str, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)
    fixed_edges: bool = False
    row_sample_size: int = DEFAULT_ROW_SAMPLE  # the rows a merge keeps, however small the parts

    @classmethod
    def fit(
        cls,
        df: pd.DataFrame,
        *,
        columns: Iterable[str] | None = None,
        kinds: Mapping[str, str] | None = None,
        cap: int | None = DEFAULT_CAP,
        bins: int = DEFAULT_BINS,
        row_sample: int = DEFAULT_ROW_SAMPLE,
        seed: int = 0,
        edges: Mapping[str, np.ndarray] | None = None,
    ) -> Profile:
        """Summarise ``df`` (or its ``columns``); ``kinds`` forces a column's kind; ``cap``
        bounds the values kept per numeric column (``None``: keep every value); ``edges``
        gives numeric columns their bin edges (kept through merges: ``fixed_edges``).

        Columns of dates or times are not profiled; they are listed in ``skipped``.
        """
        if not isinstance(df, pd.DataFrame):
            raise DataValidationError(f"expected a pandas DataFrame, got {type(df).__name__}")
        if len(df) == 0:
            raise DataValidationError("the reference table has no rows")
        df = df.rename(columns=str)
        if df.columns.duplicated().any():
            dupes = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
            raise DataValidationError(f"duplicate column names: {', '.join(dupes)}")
        names = [str(c) for c in (df.columns if columns is None else columns)]
        missing = [c for c in names if c not in df.columns]
        if missing:
            raise DataValidationError(f"columns not in the reference: {', '.join(missing)}")
        kinds = dict(kinds or {})
        profiled: dict[str, ColumnProfile] = {}
        skipped: dict[str, str] = {}
        for name in names:
            values = df[name]
            kind, mixed = column_kind(values)
            kind = kinds.get(name, kind)
            if kind is None:
                skipped[name] = f"dtype {values.dtype} is not tested for drift"
                continue
            if kind not in {"numeric", "categorical", "binary"}:
                raise DataValidationError(
                    f"kind {kind!r} for column {name!r}; choose from binary, categorical, numeric"
                )
            profiled[name] = profile_column(
                name, values, kind, mixed=mixed, cap=cap, bins=bins, seed=seed,
                edges=(edges or {}).get(name),
            )  # fmt: skip
        numeric = tuple(n for n, c in profiled.items() if c.kind == "numeric")
        rows = _row_sample(df, numeric, row_sample, seed)
        return cls(
            profiled, len(df), cap, bins, seed, rows, numeric, skipped, bool(edges), row_sample
        )

    # ------------------------------------------------------------------ merge
    def merge(self, other: Profile) -> Profile:
        """The profile of the union of the two tables these profiles summarise.

        Examples
        --------
        >>> df = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
        >>> merged = Profile.fit(df.iloc[:40]).merge(Profile.fit(df.iloc[40:]))
        >>> whole = Profile.fit(df)
        >>> merged.columns["x"].side.mean == whole.columns["x"].side.mean
        True
        >>> merged.columns["c"].side.as_dict()
        {'a': 50, 'b': 50}
        """
        if set(self.columns) != set(other.columns):
            only = sorted(set(self.columns) ^ set(other.columns))
            raise DataValidationError(
                f"profiles to merge must have the same columns; differing: {', '.join(only)}"
            )
        rng = np.random.default_rng([self.seed, other.seed, self.n_rows, other.n_rows])
        keep = self.fixed_edges and other.fixed_edges
        size = max(self.row_sample_size, other.row_sample_size)
        merged: dict[str, ColumnProfile] = {}
        for name, a in self.columns.items():
            b = other.columns[name]
            if a.kind != b.kind and {a.kind, b.kind} != {"binary", "categorical"}:
                raise DataValidationError(
                    f"column {name!r} is {a.kind} in one profile and {b.kind} in the other; "
                    f"fit both with kinds={{{name!r}: ...}}"
                )
            if isinstance(a.side, NumericSide) and isinstance(b.side, NumericSide):
                side: Side = merge_numeric(
                    a.side, b.side, _cap(self.cap), self.bins, rng, keep_edges=keep
                )
                kind = a.kind
            else:
                assert isinstance(a.side, CategoricalSide) and isinstance(b.side, CategoricalSide)
                side = merge_categorical(a.side, b.side)
                kind = "binary" if side.categories.size == 2 else "categorical"
            merged[name] = replace(
                a,
                kind=kind,
                n_rows=a.n_rows + b.n_rows,
                side=side,
                mixed_types=a.mixed_types or b.mixed_types or a.dtype != b.dtype,
                n_unparseable=a.n_unparseable + b.n_unparseable,
            )
        if self.row_sample_columns == other.row_sample_columns:
            rows = merge_samples(
                self.row_sample, other.row_sample, self.n_rows, other.n_rows, size, rng
            )
        else:
            rows = np.empty((0, 0))
        return replace(
            self,
            columns=merged,
            n_rows=self.n_rows + other.n_rows,
            row_sample=rows,
            row_sample_columns=self.row_sample_columns if rows.size else (),
            skipped={**other.skipped, **self.skipped},
            fixed_edges=keep,
            row_sample_size=size,
        )

    # ------------------------------------------------------------------ disk
    def save(self, path: str | Path) -> Path:
        """Write the profile to the folder ``path`` (``profile.json`` + ``arrays.npz``).

        Examples
        --------
        >>> import tempfile
        >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]})
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     back = Profile.load(Profile.fit(df).save(tmp))
        >>> back.columns["c"].side.as_dict(), back.columns["x"].side.sample.tolist()
        ({'a': 2, 'b': 1}, [1.0, 2.0, 3.0])
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"row_sample": self.row_sample}
        meta_columns = []
        for i, col in enumerate(self.columns.values()):
            entry: dict[str, Any] = {
                "name": col.name,
                "kind": col.kind,
                "dtype": col.dtype,
                "n_rows": col.n_rows,
                "mixed_types": col.mixed_types,
                "n_unparseable": col.n_unparseable,
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
            "n_rows": self.n_rows,
            "cap": self.cap,
            "bins": self.bins,
            "seed": self.seed,
            "row_sample_columns": list(self.row_sample_columns),
            "skipped": self.skipped,
            "fixed_edges": self.fixed_edges,
            "row_sample_size": self.row_sample_size,
            "columns": meta_columns,
        }
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        # arrays first: profile.json, written last, is what makes the folder a profile
        atomic_write_bytes(folder / "arrays.npz", buffer.getvalue())
        atomic_write_text(folder / "profile.json", json.dumps(meta, indent=1, ensure_ascii=False))
        return folder

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a profile written by :meth:`save`."""
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
                    entry["mixed_types"], int(entry.get("n_unparseable", 0)),
                )  # fmt: skip
            rows = npz["row_sample"]
        return cls(
            columns, meta["n_rows"], meta["cap"], meta["bins"], meta["seed"], rows,
            tuple(meta["row_sample_columns"]), dict(meta["skipped"]),
            bool(meta.get("fixed_edges", False)),
            int(meta.get("row_sample_size", max(len(rows), DEFAULT_ROW_SAMPLE))),
        )  # fmt: skip


def _row_sample(df: pd.DataFrame, numeric: tuple[str, ...], size: int, seed: int) -> np.ndarray:
    if not numeric or size <= 0:
        return np.empty((0, len(numeric)))
    rng = np.random.default_rng([seed, 1])
    take = np.sort(rng.choice(len(df), size=min(size, len(df)), replace=False))
    block = df.iloc[take][list(numeric)]
    return np.column_stack(
        [parse_numbers(block[c])[0].to_numpy(dtype="float64", na_value=np.nan) for c in numeric]
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _cap(cap: int | None) -> int:
    return np.iinfo(np.int64).max if cap is None else cap
