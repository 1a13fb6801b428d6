"""Ground truth: what a generator or an injection changed, where, and how much.

A :class:`DriftRecord` holds one :class:`DriftEvent` per drift, the per-row weight of change
and, for streams, the concept id of every row. Per-row arrays are stored run-length encoded in
JSON, so a record of a million rows with one abrupt drift is a few lines, and floats survive
the round trip exactly (JSON writes the shortest repr that reads back to the same float).
Each array is written on one line; the record's own weight is written as "max_of_events"
when it is just the largest event weight at every row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from calmops.errors import SpecError

__all__ = ["DriftEvent", "DriftRecord", "Generated"]

FORMAT_VERSION = 1
MAX_OF_EVENTS = "max_of_events"  # record weight stored as: the largest event weight per row


def plain(obj: Any) -> Any:
    """``obj`` with numpy scalars, arrays and tuples turned into JSON-native values."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return str(obj)
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)


def _frozen(values: Any, dtype: Any) -> np.ndarray:
    array = np.array(values, dtype=dtype)  # always a private copy
    array.setflags(write=False)
    return array


def _encode_runs(values: np.ndarray) -> list[list[Any]]:
    """Run-length encode a 1-d array as ``[[value, count], ...]``."""
    if values.size == 0:
        return []
    change = np.flatnonzero(values[1:] != values[:-1]) + 1
    starts = np.concatenate(([0], change))
    counts = np.diff(np.concatenate((starts, [values.size])))
    return [[v.item(), int(c)] for v, c in zip(values[starts], counts, strict=True)]


def _decode_runs(runs: list[list[Any]], dtype: Any) -> np.ndarray:
    if not runs:
        return _frozen([], dtype)
    values, counts = zip(*runs, strict=True)
    return _frozen(np.repeat(np.array(values, dtype=dtype), counts), dtype)


def _first_last(weight: np.ndarray) -> tuple[int, int, int]:
    """Onset (first row > 0), end (first row at the peak) and last affected row."""
    hit = np.flatnonzero(weight > 0)
    if hit.size == 0:
        return -1, -1, -1
    peak = weight.max()
    return int(hit[0]), int(np.flatnonzero(weight == peak)[0]), int(hit[-1])


def _time_at(times: Any, row: int) -> str | None:
    if times is None or row < 0:
        return None
    value = times[row]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass(frozen=True, eq=False)
class DriftEvent:
    """One drift: what kind, which operation, which columns, where and with what weight.

    ``weight`` has one value per row in ``[0, 1]``: the probability (gradual), share
    (incremental) or intensity (injection profiles) of the change at that row.
    ``onset_row`` is the first row with weight > 0, ``end_row`` the first row where the
    weight reaches its peak (the end of the transition; equal to the onset for an abrupt
    change) and ``last_row`` the last row with weight > 0; all are -1 when nothing changed.
    The ``*_time`` fields are ISO strings when the table has a time column.

    Examples
    --------
    >>> import numpy as np
    >>> event = DriftEvent.from_weight(
    ...     "covariate", "shift", ("x",), np.array([0, 0, 0.5, 1, 1.0]), {"magnitude": 2.0}
    ... )
    >>> event
    DriftEvent(covariate/shift on x, rows 2..3 (last 4))
    """

    kind: str
    operation: str
    columns: tuple[str, ...]
    weight: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)
    onset_row: int = -1
    end_row: int = -1
    last_row: int = -1
    onset_time: str | None = None
    end_time: str | None = None
    last_time: str | None = None

    @classmethod
    def from_weight(
        cls,
        kind: str,
        operation: str,
        columns: tuple[str, ...] | list[str],
        weight: np.ndarray,
        params: dict[str, Any] | None = None,
        times: Any = None,
    ) -> DriftEvent:
        """Build an event whose rows and times are read off ``weight`` (and ``times``)."""
        weight = _frozen(weight, np.float64)
        onset, end, last = _first_last(weight)
        return cls(
            kind=kind,
            operation=operation,
            columns=tuple(str(c) for c in columns),
            weight=weight,
            params=plain(dict(params or {})),
            onset_row=onset,
            end_row=end,
            last_row=last,
            onset_time=_time_at(times, onset),
            end_time=_time_at(times, end),
            last_time=_time_at(times, last),
        )

    def reindexed(self, index: np.ndarray, times: Any = None) -> DriftEvent:
        """The same event on a table whose row ``i`` is old row ``index[i]``."""
        return DriftEvent.from_weight(
            self.kind, self.operation, self.columns, self.weight[index], self.params, times
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the weight run-length encoded)."""
        return {
            "kind": self.kind,
            "operation": self.operation,
            "columns": list(self.columns),
            "params": self.params,
            "onset_row": self.onset_row,
            "end_row": self.end_row,
            "last_row": self.last_row,
            "onset_time": self.onset_time,
            "end_time": self.end_time,
            "last_time": self.last_time,
            "weight_runs": _encode_runs(self.weight),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftEvent:
        """Inverse of :meth:`to_dict`."""
        fields = {k: v for k, v in data.items() if k != "weight_runs"}
        fields["columns"] = tuple(fields["columns"])
        return cls(weight=_decode_runs(data["weight_runs"], np.float64), **fields)

    def __repr__(self) -> str:
        where = (
            "no rows"
            if self.onset_row < 0
            else f"rows {self.onset_row}..{self.end_row} (last {self.last_row})"
        )
        return f"DriftEvent({self.kind}/{self.operation} on {', '.join(self.columns)}, {where})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DriftEvent) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, eq=False)
class DriftRecord:
    """The ground truth of a generated or injected table.

    ``weight`` is the per-row weight of change against the original (for streams, the
    probability that a row follows a concept other than concept 0; for injections, the
    largest weight of any event at that row). ``concept`` is the concept id of every row
    (streams only; -1 for injected tables) and ``concepts`` the parameters of each id.
    ``source`` says what produced the table (generator, seed, options).

    Examples
    --------
    >>> from calmops.data_generators import generate_stream, gradual
    >>> data, record = generate_stream(
    ...     "sea", 1000, seed=1, schedule=gradual(500, 100, to={"variant": 1})
    ... )
    >>> record
    DriftRecord(1000 rows: concept/gradual on target, rows 450..550 (last 999))
    >>> DriftRecord.from_json(record.to_json()) == record
    True
    """

    n_rows: int
    events: tuple[DriftEvent, ...]
    weight: np.ndarray
    concept: np.ndarray
    concepts: tuple[dict[str, Any], ...] = ()
    source: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, dtype in (("weight", np.float64), ("concept", np.int64)):
            array = _frozen(getattr(self, name), dtype)
            if array.shape != (self.n_rows,):
                raise SpecError(f"{name} must have one value per row ({self.n_rows})")
            object.__setattr__(self, name, array)
        object.__setattr__(self, "events", tuple(self.events))
        object.__setattr__(self, "concepts", tuple(plain(dict(c)) for c in self.concepts))
        object.__setattr__(self, "source", plain(dict(self.source)))

    @property
    def drift_rows(self) -> np.ndarray:
        """Indices of the rows with a weight of change above zero."""
        return np.flatnonzero(self.weight > 0)

    def with_event(
        self, event: DriftEvent, index: np.ndarray | None = None, times: Any = None
    ) -> DriftRecord:
        """This record plus ``event``; ``index`` maps new rows to old ones when rows moved."""
        events, weight, concept = self.events, self.weight, self.concept
        if index is not None:
            events = tuple(e.reindexed(index, times) for e in events)
            weight, concept = weight[index], concept[index]
        return DriftRecord(
            n_rows=len(event.weight),
            events=(*events, event),
            weight=np.maximum(weight, event.weight),
            concept=concept,
            concepts=self.concepts,
            source=self.source,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; per-row arrays are run-length encoded."""
        return {
            "format": "calmops.drift_record",
            "version": FORMAT_VERSION,
            "n_rows": self.n_rows,
            "source": self.source,
            "concepts": list(self.concepts),
            "events": [e.to_dict() for e in self.events],
            "weight_runs": (
                MAX_OF_EVENTS if self._weight_is_max_of_events() else _encode_runs(self.weight)
            ),
            "concept_runs": _encode_runs(self.concept),
        }

    def _weight_is_max_of_events(self) -> bool:
        if not self.events:
            return not self.weight.any()
        return np.array_equal(self.weight, np.maximum.reduce([e.weight for e in self.events]))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftRecord:
        """Inverse of :meth:`to_dict`."""
        if data.get("format") != "calmops.drift_record":
            raise SpecError("not a CalmOps drift record (missing format 'calmops.drift_record')")
        events = tuple(DriftEvent.from_dict(e) for e in data["events"])
        return cls(
            n_rows=int(data["n_rows"]),
            events=events,
            weight=(
                np.maximum.reduce([e.weight for e in events])
                if data["weight_runs"] == MAX_OF_EVENTS and events
                else np.zeros(int(data["n_rows"]))
                if data["weight_runs"] == MAX_OF_EVENTS
                else _decode_runs(data["weight_runs"], np.float64)
            ),
            concept=_decode_runs(data["concept_runs"], np.int64),
            concepts=tuple(data.get("concepts", ())),
            source=data.get("source", {}),
        )

    def to_json(self, path: str | Path | None = None) -> str:
        """The record as JSON text; also written to ``path`` when one is given."""
        data = self.to_dict()
        runs: list[str] = []

        def compact(holder: dict[str, Any], key: str) -> None:
            if isinstance(holder[key], list):
                runs.append(json.dumps(holder[key], separators=(",", ":"), allow_nan=False))
                holder[key] = f"\u0000runs{len(runs) - 1}"

        for event in data["events"]:
            compact(event, "weight_runs")
        compact(data, "weight_runs")
        compact(data, "concept_runs")
        text = json.dumps(data, indent=1, allow_nan=False)
        for i, encoded in enumerate(runs):  # one line per array, the rest indented
            text = text.replace(json.dumps(f"\u0000runs{i}"), encoded, 1)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text: str) -> DriftRecord:
        """Read a record from JSON text (see :meth:`load` for a file)."""
        return cls.from_dict(json.loads(text))

    @classmethod
    def load(cls, path: str | Path) -> DriftRecord:
        """Read a record from a JSON file written by :meth:`to_json`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def __repr__(self) -> str:
        events = "; ".join(repr(e)[len("DriftEvent(") : -1] for e in self.events) or "no drift"
        return f"DriftRecord({self.n_rows} rows: {events})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DriftRecord) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, eq=False)
class Generated:
    """A table and its ground truth; unpacks as ``data, record = ...``."""

    data: Any
    record: DriftRecord

    def __iter__(self):
        yield self.data
        yield self.record
