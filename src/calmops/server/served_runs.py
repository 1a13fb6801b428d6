"""Which run monitored each served-predictions log file, or where its rows are instead.

``calmops run NAME --served`` turns the log files written since the last call into one batch
(``predictions/served/served-<first>--<last>.parquet``, with a ``.json`` manifest naming
them) and runs it. So a served row belongs to the run of its batch once that run succeeded;
until then it is waiting in ``predictions/`` (not collected yet), or its batch has not run or
failed. Batches written before the manifest existed are matched by the names in their own
file name (log names sort by time, so the batch holds those from ``<first>`` to ``<last>``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from calmops.store import LedgerEntry

__all__ = ["Placement", "placements"]


@dataclass(frozen=True)
class Placement:
    """Where the rows of one log file went: the run that monitored them, or why none did."""

    run_id: str | None
    where: str  # for people: "run <id>", "not collected yet", "batch <name>, not run yet"...


def placements(ledger: Iterable[LedgerEntry], root: Path) -> dict[str, Placement]:
    """Each log file's placement, by file name (``predictions/`` and ``consumed/``), from the
    pipeline's ``ledger`` (``store.runs.ledger(name)``).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "demo"
    >>> (root / "predictions").mkdir(parents=True)
    >>> _ = (root / "predictions" / "20260101T000000-1-a.parquet").write_bytes(b"")
    >>> placements([], root)["20260101T000000-1-a.parquet"].where
    'not collected yet: `calmops run demo --served` monitors it'
    """
    folder = root / "predictions"
    waiting = f"not collected yet: `calmops run {root.name} --served` monitors it"
    out = {p.name: Placement(None, waiting) for p in folder.glob("*.parquet")}
    consumed = sorted(p.name for p in (folder / "consumed").glob("*.parquet"))
    by_path = {e.file.path: e for e in ledger}
    for batch in sorted((folder / "served").glob("*.parquet")):
        entry = by_path.get(str(batch.absolute()))
        if entry is not None and entry.status == "done":
            placed = Placement(entry.run_id, f"run {entry.run_id}")
        elif entry is not None and entry.status == "failed":
            placed = Placement(None, f"batch {batch.name}, whose run {entry.run_id} failed")
        else:
            placed = Placement(None, f"batch {batch.name}, not run yet")
        for name in _logs_of(batch, consumed):
            out[name] = placed
    for name in consumed:
        out.setdefault(name, Placement(None, "consumed, but in no served batch"))
    return out


def _logs_of(batch: Path, consumed: list[str]) -> list[str]:
    """The log files a batch holds: its manifest, or the range in its name."""
    manifest = batch.with_suffix(".json")
    if manifest.is_file():
        return list(json.loads(manifest.read_text())["logs"])
    first, _, last = batch.stem.removeprefix("served-").partition("--")
    return [n for n in consumed if first <= n.removesuffix(".parquet") <= last]
