"""The sections block and IPIP kinds add to a run report, as typed, frozen records (the
performance sections, estimated and realized, are in :mod:`calmops.pipeline.performance_sections`).

::

    blocks  BlocksSection  column, order, rows {block: n}, metrics {block: {name: value}},
                           drift {block: BlockDrift}, matrix, performance, decisions
                           {block: BlockDecision}, evaluation {mode, blocks}, routes, router,
                           challengers {version: {block: {name: value}}}
    ipip    IPIPSection    blocks [IPIPBlock], prequential {name: value}, scored_rows

A kind fills its section step by step with :func:`dataclasses.replace`; the JSON form leaves
out what a run did not produce (no ``matrix`` unless ``block.matrix``), as it always has.

Examples
--------
>>> from dataclasses import replace
>>> section = BlocksSection("month", ("1", "2"), {"1": 40, "2": 35})
>>> section = replace(section, decisions={"2": BlockDecision("retrain", "data drift in x")})
>>> section.to_dict()["decisions"]
{'2': {'action': 'retrain', 'why': 'data drift in x'}}
>>> BlocksSection.from_dict(section.to_dict()) == section
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "BlockDecision",
    "BlockDrift",
    "BlockEvaluation",
    "BlocksSection",
    "DriftSummary",
    "IPIPBlock",
    "IPIPSection",
    "Period",
    "RouterRecord",
]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


def _compact(record: Any) -> dict[str, Any]:
    """The fields of ``record`` as JSON values, leaving out the ones that are None."""
    out = {f.name: _plain(getattr(record, f.name)) for f in fields(record)}
    return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class Period:
    """The span of event times a run covered: first and last time, ISO-8601 text.

    >>> Period.from_dict(Period("2026-01-01T00:00:00", "2026-01-07T23:00:00").to_dict()).end
    '2026-01-07T23:00:00'
    """

    start: str
    end: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        return cls(str(data.get("start", "")), str(data.get("end", "")))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _texts(values: Any) -> tuple[str, ...] | None:
    return None if values is None else tuple(str(v) for v in values)


@dataclass(frozen=True)
class DriftSummary:
    """One block against the reference (or, with ``block``, against the block before it)."""

    drift: bool
    drifted: tuple[str, ...] = ()
    share: float | None = None
    tested: int | None = None
    block: str | None = None  # the block compared with

    def to_dict(self) -> dict[str, Any]:
        return _compact(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftSummary:
        known = _known(cls, data)
        return cls(
            **{
                **known,
                "drift": bool(data.get("drift")),
                "drifted": _texts(data.get("drifted") or ()),
            }
        )


@dataclass(frozen=True)
class BlockDrift:
    """The drift of one block; ``skipped`` says why a block was not tested."""

    rows: int | None = None
    reference: DriftSummary | None = None
    previous: DriftSummary | None = None
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = _compact(self)
        out.setdefault("reference", None)
        out.setdefault("previous", None)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlockDrift:
        sides = {
            side: DriftSummary.from_dict(data[side]) if isinstance(data.get(side), dict) else None
            for side in ("reference", "previous")
        }
        return cls(rows=data.get("rows"), skipped=data.get("skipped"), **sides)


@dataclass(frozen=True)
class BlockDecision:
    """What the run did with one block, and why."""

    action: str
    why: str | None = None
    flagged: bool | None = None
    new: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return _compact(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlockDecision:
        return cls(**{**_known(cls, data), "action": str(data.get("action", ""))})


@dataclass(frozen=True)
class BlockEvaluation:
    """Where challengers were evaluated: the ``last`` blocks, or a ``split`` of blocks."""

    mode: str
    blocks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _compact(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlockEvaluation:
        return cls(str(data.get("mode", "")), _texts(data.get("blocks") or ()))


@dataclass(frozen=True)
class RouterRecord:
    """What a block-wise router trained in the run holds."""

    block_models: tuple[str, ...]
    skipped: dict[str, Any]
    unseen: str
    retrained: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = _compact(self)
        out.setdefault("retrained", None)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RouterRecord:
        return cls(
            _texts(data.get("block_models") or ()),
            dict(data.get("skipped") or {}),
            str(data.get("unseen", "")),
            _texts(data.get("retrained")),
        )


@dataclass(frozen=True)
class BlocksSection:
    """The ``blocks`` section of a block or IPIP run (see the module docstring)."""

    column: str
    order: tuple[str, ...]
    rows: dict[str, int]
    metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)
    drift: dict[str, BlockDrift] = field(default_factory=dict)
    matrix: dict[str, Any] | None = None  # {blocks, share_drifted, left_out, cap}
    performance: dict[str, dict[str, Any]] = field(default_factory=dict)  # {fired, summary}
    decisions: dict[str, BlockDecision] = field(default_factory=dict)
    evaluation: BlockEvaluation | None = None
    routes: dict[str, str] = field(default_factory=dict)  # block: the model that scored it
    router: tuple[RouterRecord, ...] = ()
    challengers: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def flagged(self) -> dict[str, str]:
        """Why each block is flagged: data drift against the reference or a performance drop."""
        why: dict[str, str] = {}
        for block, entry in self.drift.items():
            if entry.reference is not None and entry.reference.drift:
                why[block] = f"data drift in {', '.join(entry.reference.drifted[:3])}"
        for block, entry in self.performance.items():
            if entry["fired"]:
                why[block] = "; ".join(filter(None, [why.get(block), entry["summary"]]))
        return why

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column, "order": list(self.order), "rows": self.rows}
        for f in fields(self)[3:]:
            value = getattr(self, f.name)
            if value is None or (isinstance(value, dict | tuple) and not value):
                continue
            if isinstance(value, dict):
                value = {k: _plain(v) for k, v in value.items()}
            out[f.name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlocksSection:
        def each(key: str, read) -> dict[str, Any]:
            found = data.get(key)
            if not isinstance(found, dict):
                return {}
            return {str(k): read(v) for k, v in found.items() if isinstance(v, dict)}

        evaluation = data.get("evaluation")
        rows = data.get("rows") or {}
        return cls(
            column=str(data.get("column", "")),
            order=_texts(data.get("order") or list(rows) or list(data.get("metrics") or {})),
            rows={str(k): v for k, v in rows.items()},
            metrics=each("metrics", dict),
            drift=each("drift", BlockDrift.from_dict),
            matrix=data.get("matrix") if isinstance(data.get("matrix"), dict) else None,
            performance=each("performance", dict),
            decisions=each("decisions", BlockDecision.from_dict),
            evaluation=BlockEvaluation.from_dict(evaluation)
            if isinstance(evaluation, dict)
            else None,
            routes={str(k): str(v) for k, v in (data.get("routes") or {}).items()},
            router=tuple(
                RouterRecord.from_dict(r) for r in data.get("router") or () if isinstance(r, dict)
            ),
            challengers=each("challengers", dict),
        )


@dataclass(frozen=True)
class IPIPBlock:
    """One block of an IPIP run: scored, then learned (``action``), and the structure after."""

    block: str
    rows: int | None = None
    action: str | None = None  # trained | updated | kept for the next block: <why>
    metrics: dict[str, float | None] | None = None  # before it was learned
    p: int | None = None
    b: int | None = None
    ensembles: int | None = None
    models_per_ensemble: tuple[int, ...] | None = None
    replaced_share: float | None = None

    @property
    def learned(self) -> bool:
        return self.action in ("trained", "updated")

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": None} | _compact(self)  # None: nothing to score the block with yet

    @classmethod
    def from_dict(cls, data: dict[str, Any], index: int = 0) -> IPIPBlock:
        known = _known(cls, data)
        sizes = data.get("models_per_ensemble")
        return cls(
            **{
                **known,
                "block": str(data.get("block", index)),
                "models_per_ensemble": None if sizes is None else tuple(sizes),
            }
        )


@dataclass(frozen=True)
class IPIPSection:
    """The ``ipip`` section: each block's record, the prequential metrics of the batch and the
    number of rows scored before the model learned them."""

    blocks: tuple[IPIPBlock, ...] = ()
    prequential: dict[str, float] = field(default_factory=dict)
    scored_rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "blocks": [b.to_dict() for b in self.blocks],
            "prequential": self.prequential,
            "scored_rows": self.scored_rows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IPIPSection:
        """Also reads the flat form of early reports (one mapping of numbers per batch)."""
        blocks = data.get("blocks")
        entries = blocks if isinstance(blocks, list) else [{"block": "batch", **data}]
        return cls(
            tuple(IPIPBlock.from_dict(e, i) for i, e in enumerate(entries) if isinstance(e, dict)),
            dict(data.get("prequential") or {}),
            int(data.get("scored_rows") or 0),
        )
