"""The prediction log: what was asked and answered, appended per pipeline to Parquet files.

::

    pipelines/<name>/predictions/<time>-<pid>-<id>.parquet   inputs, outputs, version, request id
    pipelines/<name>/feedback/<time>-<pid>-<id>.parquet      labels sent later, by request id

Rows are buffered in memory and written (to a temporary file, fsynced, renamed) when
``flush_rows`` are buffered (``log_flush_rows``, default 5,000), when the oldest is
``flush_seconds`` old (``log_flush_seconds``, default 5 s), and on shutdown (the lifespan's
end: SIGTERM or SIGINT to ``calmops serve``). While rows wait, the flush thread publishes
their count in ``predictions/.buffered-<pid>.json`` (within a quarter second of a change), so
``calmops run NAME --served`` can say they are coming. Each
process writes its own files, so several workers never share one. Columns whose names start
with ``_calmops_`` describe the request; the others are its inputs.

With an artifact store other than the workspace folder (``CALMOPS_ARTIFACTS``), each written
file is also put there (one PUT of the same bytes, ``pipelines/<name>/predictions/<file>``),
so the logs of replicas on several hosts meet in one place; :func:`pull_logs` brings the
files this host has not seen into its own folder before ``calmops run --served`` collects.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from calmops.artifacts import ArtifactStore
from calmops.atomic import atomic_write_bytes

__all__ = [
    "BUFFERED_PREFIX",
    "KINDS",
    "META",
    "LogBook",
    "ParquetLog",
    "log_file_name",
    "pull_logs",
]

KINDS = ("predictions", "feedback")

log = logging.getLogger("calmops.server")

META = "_calmops_"  # prefix of the columns that describe a request rather than its inputs
BUFFERED_PREFIX = ".buffered-"  # predictions/.buffered-<pid>.json: rows a server still buffers


def log_file_name(now: datetime | None = None) -> str:
    """A file name that sorts by time and is unique across processes.

    >>> log_file_name(datetime(2026, 11, 26, 4, 15, tzinfo=UTC))[:22]
    '20261126T041500000000-'
    """
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S%f}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"


class ParquetLog:
    """A buffer of column chunks for one folder, written out as Parquet files.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> book = ParquetLog(folder, flush_rows=100)
    >>> book.append({"x": np.array([1.0, 2.0]), "_calmops_request_id": ["a", "a"]})
    False
    >>> written = book.flush()
    >>> pd.read_parquet(written)["x"].tolist()
    [1.0, 2.0]
    """

    def __init__(
        self,
        folder: Path,
        flush_rows: int = 5000,
        flush_seconds: float = 5.0,
        mirror: ArtifactStore | None = None,
    ) -> None:
        self.folder = folder
        self.mirror = mirror
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self._chunks: list[dict[str, Any]] = []
        self._rows = 0
        self._oldest: float | None = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._index: dict[str, dict[str, int]] = {}  # written file -> request id -> rows

    def append(self, chunk: Mapping[str, Any]) -> bool:
        """Buffer one chunk of equal-length columns; True when it is time to flush."""
        rows = len(next(iter(chunk.values())))
        with self._lock:
            self._chunks.append(dict(chunk))
            self._rows += rows
            if self._oldest is None:
                self._oldest = time.monotonic()
            return self._rows >= self.flush_rows

    def compact(self) -> None:
        """Merge the small chunks buffered so far into one per layout (cheap, done often).

        Merging a few hundred chunks at a time keeps each pause of the request thread short;
        the final write then only joins a few large arrays.
        """
        with self._lock:
            chunks, self._chunks = self._chunks, []
        merged = (
            [_merge_group(group) for group in _by_layout(chunks)] if len(chunks) > 1 else chunks
        )
        with self._lock:
            self._chunks[:0] = merged

    def discard(self) -> int:
        """Forget everything buffered; the number of rows forgotten."""
        with self._lock:
            rows, self._chunks, self._rows, self._oldest = self._rows, [], 0, None
        return rows

    def due(self) -> bool:
        """Whether enough rows are buffered, or the oldest has waited long enough."""
        oldest = self._oldest
        return self._rows >= self.flush_rows or (
            oldest is not None and time.monotonic() - oldest >= self.flush_seconds
        )

    @property
    def buffered(self) -> int:
        return self._rows

    def flush(self) -> Path | None:
        """Write everything buffered to one new file per column layout; the last file.

        The write lock is held from taking the rows to renaming their file, so a reader
        holding it (:meth:`request_rows`) finds every row either buffered or on disk."""
        with self._write_lock:
            with self._lock:
                chunks, self._chunks, self._rows, self._oldest = self._chunks, [], 0, None
            if not chunks:
                return None
            written = None
            for group in _by_layout(chunks):
                try:
                    written = self._write(group)
                except Exception:  # one unwritable group must not lose the others; say so
                    log.exception("writing %d rows to %s failed", _rows(group), self.folder.name)
            return written

    def request_rows(self, request_ids: set[str]) -> dict[str, int]:
        """How many rows each of ``request_ids`` logged, buffered or written (absent: none).

        Files written are indexed once (request id -> rows) and remembered by name, in
        this folder and in ``consumed/`` (where ``calmops run --served`` moves them)."""
        found: dict[str, int] = {}
        with self._write_lock:
            with self._lock:
                chunks = list(self._chunks)
            for chunk in chunks:
                _count_rows(chunk, request_ids, found)
            for path in self._written():
                index = self._index.get(path.name)
                if index is None:
                    index = self._index[path.name] = _file_rows(path)
                for request_id in request_ids & index.keys():
                    found[request_id] = max(found.get(request_id, 0), index[request_id])
        return found

    def _written(self) -> list[Path]:
        return [*self.folder.glob("*.parquet"), *(self.folder / "consumed").glob("*.parquet")]

    def _write(self, chunks: list[dict[str, Any]]) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        merged = _merge_group(chunks)
        table = pa.table({name: _arrow(values) for name, values in merged.items()})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        path = self.folder / log_file_name()
        data = sink.getvalue().to_pybytes()
        atomic_write_bytes(path, data)
        if self.mirror is not None:
            self.mirror.put(path.name, data)
        return path


class LogBook:
    """The prediction and feedback logs of every pipeline, flushed by one background thread."""

    def __init__(
        self,
        pipelines_dir: Path,
        flush_rows: int,
        flush_seconds: float,
        artifacts: Callable[[str], ArtifactStore | None] | None = None,
    ) -> None:
        self.pipelines_dir = pipelines_dir
        self.artifacts = artifacts  # pipeline -> its artifact store, to mirror the logs to
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self._logs: dict[tuple[str, str], ParquetLog] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._published: dict[str, int] = {}  # pipeline -> buffered rows last published

    def log(self, pipeline: str, kind: str = "predictions") -> ParquetLog:
        """The log of ``kind`` (``predictions`` or ``feedback``) of one pipeline."""
        key = (pipeline, kind)
        found = self._logs.get(key)
        if found is None:
            folder = self.pipelines_dir / pipeline / kind
            store = self.artifacts(pipeline) if self.artifacts is not None else None
            mirror = None if store is None else store.child(kind)
            found = self._logs.setdefault(
                key, ParquetLog(folder, self.flush_rows, self.flush_seconds, mirror)
            )
        return found

    def append(self, pipeline: str, chunk: Mapping[str, Any], kind: str = "predictions") -> None:
        if self.log(pipeline, kind).append(chunk):
            self._wake.set()

    def request_rows(self, pipeline: str, request_ids: set[str]) -> dict[str, int]:
        """Rows per request id in the pipeline's prediction log (see ParquetLog)."""
        return self.log(pipeline).request_rows(request_ids)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="calmops-log", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and write everything still buffered."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        self.flush_all(only_due=False)
        self.publish()

    def publish(self) -> None:
        """Tell other processes (``calmops run --served``) how many prediction rows each
        pipeline still buffers: ``predictions/.buffered-<pid>.json``, rewritten when the
        count changes and removed when nothing is buffered."""
        for (pipeline, kind), book in list(self._logs.items()):
            if kind != "predictions" or self._published.get(pipeline) == book.buffered:
                continue
            path = book.folder / f"{BUFFERED_PREFIX}{os.getpid()}.json"
            try:
                if book.buffered:
                    book.folder.mkdir(exist_ok=True)
                    _write_state(path, book.buffered, self.flush_seconds)
                else:
                    path.unlink(missing_ok=True)
                self._published[pipeline] = book.buffered
            except OSError as error:  # a deleted pipeline, a full disk: only the hint is lost
                log.debug("%s: cannot publish the buffered count: %s", pipeline, error)

    def flush_all(self, only_due: bool = False) -> None:
        for (pipeline, kind), book in list(self._logs.items()):
            if only_due and book.buffered and not book.due():
                book.compact()
            elif book.buffered:
                if not book.folder.parent.is_dir():  # the pipeline was deleted: keep no trace
                    dropped = book.discard()
                    log.warning("%s was deleted; %d %s rows dropped", pipeline, dropped, kind)
                    continue
                try:
                    book.folder.mkdir(exist_ok=True)
                    book.flush()
                except Exception:  # a full disk must not take the server down; say so
                    log.exception("%s: writing the %s log failed", pipeline, kind)

    def _run(self) -> None:
        tick = min(0.25, self.flush_seconds / 2)
        while not self._stop.is_set():
            self._wake.wait(tick)
            self._wake.clear()
            self.flush_all(only_due=True)
            self.publish()


def pull_logs(root: Path, store: ArtifactStore | None) -> int:
    """Copy the log files in ``store`` (a pipeline's artifact store; None: nothing to do)
    that the pipeline folder ``root`` has neither waiting nor consumed; how many.

    Examples
    --------
    >>> import tempfile
    >>> from calmops.artifacts import FsspecArtifacts
    >>> store = FsspecArtifacts("memory://calmops-pull-doctest")
    >>> _ = store.put("predictions/20260101T000000-1-a.parquet", b"PAR1")
    >>> root = Path(tempfile.mkdtemp())
    >>> pull_logs(root, store), pull_logs(root, store)
    (1, 0)
    """
    if store is None:
        return 0
    pulled = 0
    for kind in KINDS:
        folder = root / kind
        for key in store.child(kind).list():
            if "/" in key or not key.endswith(".parquet"):
                continue
            if (folder / key).exists() or (folder / "consumed" / key).exists():
                continue
            atomic_write_bytes(folder / key, store.get(f"{kind}/{key}"))
            pulled += 1
    return pulled


def _write_state(path: Path, rows: int, flush_seconds: float) -> None:
    """Replace the buffered-rows file (a hint, so not fsynced: a crash loses only the hint)."""
    import json

    state = {"pid": os.getpid(), "rows": rows, "flush_seconds": flush_seconds}
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    temporary.write_text(json.dumps(state))
    os.replace(temporary, path)


def _count_rows(chunk: Mapping[str, Any], wanted: set[str], found: dict[str, int]) -> None:
    """Add the rows of the ``wanted`` request ids in one buffered chunk to ``found``."""
    ids = chunk.get(META + "request_id")
    if ids is None:
        return
    ids = np.asarray(ids, dtype=object)
    for request_id in wanted & set(np.unique(ids).tolist()):
        found[request_id] = max(found.get(request_id, 0), int((ids == request_id).sum()))


def _file_rows(path: Path) -> dict[str, int]:
    """Request id -> rows of one written log file (empty if it has no request ids)."""
    import pyarrow.parquet as pq

    if META + "request_id" not in pq.read_schema(path).names:
        return {}
    ids = pq.read_table(path, columns=[META + "request_id"]).column(0).to_numpy()
    names, counts = np.unique(ids.astype(str), return_counts=True)
    return dict(zip(names.tolist(), counts.tolist(), strict=True))


def _by_layout(chunks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for chunk in chunks:
        groups.setdefault(tuple(chunk), []).append(chunk)
    return list(groups.values())


def _rows(chunks: list[dict[str, Any]]) -> int:
    return sum(len(next(iter(c.values()))) for c in chunks)


def _merge_group(chunks: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """One chunk from chunks of the same layout."""
    if len(chunks) == 1:
        return {name: np.asarray(values) for name, values in chunks[0].items()}
    return {name: np.concatenate([np.asarray(c[name]) for c in chunks]) for name in chunks[0]}


def _arrow(merged: np.ndarray) -> Any:
    import pyarrow as pa

    if merged.dtype != object:
        return pa.array(merged)
    values = merged.tolist()
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):  # mixed types, odd text
        return pa.array([None if v is None else _text(v) for v in values])


def _text(value: Any) -> str:
    """Any value as valid UTF-8 text (a lone surrogate from JSON becomes U+FFFD)."""
    return str(value).encode("utf-8", "replace").decode("utf-8")
