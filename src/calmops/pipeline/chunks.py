"""Chunking (``data.chunk``): pending files cut into batches by event time or by row count.

The pending files of a pass are read, their rows still to run are pooled (by time: sorted by
``data.time_column``; by rows: in file order) and cut into chunks; each chunk is one run.

- **by time** (``every: "7D"``): a row belongs to the bin ``[start, start + every)`` where the
  bins are aligned to a fixed origin, Monday 1970-01-05 00:00 (UTC when the times carry a
  zone): 1h bins start on the hour, 1D bins at midnight, 7D and 1W bins on Mondays. A fixed
  origin (not the first time seen) keeps bins the same from one pass to the next, so rows that
  arrive later for a period land in the same bin. Periods without rows make no run.
- **by rows** (``size: 10000``): consecutive rows in file order (files oldest first), across
  file boundaries.

Exactly once: a chunk claims one ledger key per contributing file, derived from that file's
content hash and the chunk (``<path>#period=<start>/<end>`` or ``<path>#rows=<first>-<stop>``);
the chunk that holds a file's last rows also claims the file itself, so a file is pending until
all its rows ran. Rows whose key is settled are left out of the next pass. A second pass over
a file that brings rows for a period already run makes its own run for that period, marked
``late``. The last chunk of a pass is marked ``partial`` when it is not full.

Examples
--------
>>> times = pd.Series(pd.to_datetime(["2026-01-05 10:00", "2026-01-12 00:00"]))
>>> [str(t.date()) for t in period_starts(times, pd.Timedelta("7D"))]
['2026-01-05', '2026-01-12']
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from calmops.errors import DataFileError
from calmops.pipeline.report import ChunkSection, Period
from calmops.pipeline.roles import parse_times
from calmops.store import FileKey

__all__ = [
    "ORIGIN",
    "Chunk",
    "Part",
    "Settled",
    "chunk_key",
    "cut_by_rows",
    "cut_by_time",
    "event_times",
    "file_of",
    "period_starts",
]

ORIGIN = pd.Timestamp("1970-01-05")  # a Monday: weekly bins start on Mondays
_ROW, _PART, _TIME = "__calmops_row", "__calmops_part", "__calmops_time"


@dataclass(frozen=True)
class Part:
    """A pending file read for chunking: its path, ledger key, rows and (by time) event times
    (see :func:`event_times`)."""

    path: Path
    key: FileKey
    frame: pd.DataFrame
    times: pd.Series | None = None


@dataclass(frozen=True)
class Settled:
    """What the ledger says ran before: the (size, sha256) of settled keys, the row ranges
    (``rows=...`` suffixes) and the end of the latest period run."""

    hashes: frozenset[tuple[int, str]] = frozenset()
    row_ranges: tuple[str, ...] = ()
    latest_end: pd.Timestamp | None = None

    @classmethod
    def from_ledger(cls, entries) -> Settled:
        """From ``store.runs.ledger(name)``; keys still ``processing`` are not settled."""
        done = [e.file for e in entries if e.status != "processing"]
        suffixes = [f.path.rpartition("#")[2] for f in done if "#" in f.path]
        ends = [pd.Timestamp(s.rpartition("/")[2]) for s in suffixes if s.startswith("period=")]
        return cls(
            frozenset((f.size, f.sha256) for f in done),
            tuple(dict.fromkeys(s for s in suffixes if s.startswith("rows="))),
            max(ends) if ends else None,
        )

    def has(self, key: FileKey, suffix: str) -> bool:
        """Whether this file's share ``suffix`` of a chunk ran."""
        derived = chunk_key(key, suffix)
        return (derived.size, derived.sha256) in self.hashes


@dataclass
class Chunk:
    """One batch cut from the pending files, with the ledger keys its run claims."""

    frame: pd.DataFrame
    claims: list[FileKey]
    parts: tuple[int, ...]  # indices of the contributing files in the pass
    files: tuple[Path, ...]
    section: ChunkSection
    period: Period | None = None

    @property
    def source(self) -> str:
        """What ``calmops runs`` and ``status`` show: the first file and the chunk."""
        more = f" +{len(self.files) - 1}" if len(self.files) > 1 else ""
        what = self.section.label
        if self.section.by == "rows":
            share = self.section.files[0]
            what = f"rows {share['first']:,}–{share['stop'] - 1:,}"
        return f"{self.files[0]}{more} [{what}]"


def chunk_key(key: FileKey, suffix: str) -> FileKey:
    """The ledger key of one file's share of a chunk (``suffix``: ``period=...``/``rows=...``).

    >>> chunk_key(FileKey("/d/a.csv", 10, "ab" * 32), "rows=0-5").path
    '/d/a.csv#rows=0-5'
    """
    digest = hashlib.sha256(f"{key.sha256}#{suffix}".encode()).hexdigest()
    return FileKey(f"{key.path}#{suffix}", key.size, digest, key.mtime_ns)


def file_of(path: str) -> str:
    """The data file a ledger path names (a chunk's key path carries a ``#...`` suffix).

    >>> file_of("/d/a#1.csv#rows=0-5"), file_of("/d/a#1.csv")
    ('/d/a#1.csv', '/d/a#1.csv')
    """
    head, _, suffix = path.rpartition("#")
    return head if head and suffix.startswith(("period=", "rows=")) else path


def event_times(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """The time column as naive timestamps (UTC when it carries a zone), NaT where empty; a
    value that is not a date is refused as in any run (``calmops.pipeline.roles``)."""
    if column not in frame.columns:
        raise DataFileError(path, f"has no time column {column!r} (data.time_column)")
    times = parse_times(frame[column], column)
    if not pd.api.types.is_datetime64_any_dtype(times.dtype):
        raise DataFileError(
            path, f"time column {column!r} holds numbers: chunks by time need dates or times"
        )
    return times.dt.tz_convert(None) if times.dt.tz is not None else times


def period_starts(times: pd.Series, every: pd.Timedelta) -> pd.Series:
    """The start of the bin each time falls in (bins aligned to :data:`ORIGIN`)."""
    return ORIGIN + ((times - ORIGIN) // every) * every


def cut_by_time(parts: list[Part], every: pd.Timedelta, settled: Settled) -> list[Chunk]:
    """Chunks of ``every`` over the rows of ``parts`` not run yet, oldest period first."""
    if not parts:
        return []
    pools = []
    for index, part in enumerate(parts):
        frame = part.frame.assign(
            **{_ROW: np.arange(len(part.frame)), _PART: index, _TIME: part.times.to_numpy()}
        )
        frame = frame[frame[_TIME].notna()]
        starts = period_starts(frame[_TIME], every)
        done = [s for s in starts.unique() if settled.has(part.key, _period(s, every))]
        pools.append(frame[~starts.isin(done)])
    pool = pd.concat(pools, ignore_index=True).sort_values(_TIME, kind="stable")
    if pool.empty:
        return []
    chunks = []
    day = every % pd.Timedelta("1D") == pd.Timedelta(0)
    for start, rows in pool.groupby(period_starts(pool[_TIME], every), sort=True):
        end = start + every
        indices = tuple(int(i) for i in sorted(rows[_PART].unique()))
        counts = rows[_PART].value_counts()
        files = tuple({"path": str(parts[i].path), "rows": int(counts[i])} for i in indices)
        late = settled.latest_end is not None and start < settled.latest_end
        chunks.append(
            Chunk(
                frame=_original(rows),
                claims=[chunk_key(parts[i].key, _period(start, every)) for i in indices],
                parts=indices,
                files=tuple(parts[i].path for i in indices),
                section=ChunkSection("time", _label(start, end, day), files, late=late),
                period=Period(start.isoformat(), end.isoformat()),
            )
        )
    if _short_of_its_end(pool[_TIME], pd.Timestamp(chunks[-1].period.end)):
        chunks[-1].section = _partial(chunks[-1].section)
    return _claim_files(chunks, parts, settled)


def _short_of_its_end(times: pd.Series, end: pd.Timestamp) -> bool:
    """Whether the data stops before the last period ends (one usual step counts as reaching
    it: hourly rows up to 23:00 fill a day)."""
    steps = times.diff().dropna()
    steps = steps[steps > pd.Timedelta(0)]
    step = steps.median() if len(steps) else pd.Timedelta(0)
    return times.iloc[-1] + step < end


def cut_by_rows(parts: list[Part], size: int, settled: Settled) -> list[Chunk]:
    """Chunks of ``size`` consecutive rows (files in order) not run yet."""
    if not parts:
        return []
    pools = []
    for index, part in enumerate(parts):
        keep = np.ones(len(part.frame), dtype=bool)
        for suffix in settled.row_ranges:
            if settled.has(part.key, suffix):
                first, stop = (int(n) for n in suffix.removeprefix("rows=").split("-"))
                keep[first:stop] = False
        frame = part.frame.assign(**{_ROW: np.arange(len(part.frame)), _PART: index})
        pools.append(frame[keep])
    pool = pd.concat(pools, ignore_index=True)
    chunks = []
    for begin in range(0, len(pool), size):
        rows = pool.iloc[begin : begin + size]
        claims, files, labels, indices = [], [], [], []
        for index, share in rows.groupby(_PART, sort=False):
            indices.append(int(index))
            part = parts[int(index)]
            first, stop = int(share[_ROW].iloc[0]), int(share[_ROW].iloc[-1]) + 1
            claims.append(chunk_key(part.key, f"rows={first}-{stop}"))
            files.append({"path": str(part.path), "rows": len(share), "first": first, "stop": stop})
            labels.append(f"{part.path.name} rows {first:,}–{stop - 1:,}")
        section = ChunkSection("rows", " + ".join(labels), tuple(files))
        paths = tuple(parts[i].path for i in indices)
        chunks.append(Chunk(_original(rows), claims, tuple(indices), paths, section))
    if chunks and len(chunks[-1].frame) < size:
        chunks[-1].section = _partial(chunks[-1].section)
    return _claim_files(chunks, parts, settled)


# ---- helpers ---------------------------------------------------------------------------


def _period(start: pd.Timestamp, every: pd.Timedelta) -> str:
    return f"period={start.isoformat()}/{(start + every).isoformat()}"


def _label(start: pd.Timestamp, end: pd.Timestamp, day: bool) -> str:
    shown = "%Y-%m-%d" if day else "%Y-%m-%d %H:%M"
    return f"{start.strftime(shown)} → {end.strftime(shown)}"


def _partial(section: ChunkSection) -> ChunkSection:
    return ChunkSection(section.by, section.label, section.files, True, section.late)


def _original(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.drop(columns=[c for c in (_ROW, _PART, _TIME) if c in rows]).reset_index(drop=True)


def _claim_files(chunks: list[Chunk], parts: list[Part], settled: Settled) -> list[Chunk]:
    """The chunk holding a file's last rows also claims the file (the first chunk, for a file
    with no rows left), so the file stops being pending once all its rows ran. A file settled
    already (a retried chunk of it) is not claimed again."""
    if not chunks:
        return chunks
    last = {index: position for position, c in enumerate(chunks) for index in c.parts}
    for index, part in enumerate(parts):
        if (part.key.size, part.key.sha256) not in settled.hashes:
            chunks[last.get(index, 0)].claims.append(part.key)
    return chunks
