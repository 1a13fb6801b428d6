"""The Blocks tab (block and IPIP kinds): per-block metrics and drift, from the run reports.

A block run's report holds a :class:`~calmops.pipeline.report.BlocksSection` (order, rows,
metrics, drift against the reference and the block before, matrix, decisions); an IPIP run's
also an ``IPIPSection`` whose records carry each block's metrics and action. Both become one
list of :class:`BlockEntry` per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calmops.pipeline.report import RunReport
from calmops.pipeline.sections import BlockDecision, DriftSummary
from calmops.web import figures
from calmops.web.format import clip, number
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, file_name
from calmops.web.views.identity import run_labels
from calmops.web.views.pick import chosen_run, click_links, picker
from calmops.web.views.status import empty_runs_text

__all__ = ["BlockEntry", "block_entries", "blocks_table", "build_blocks", "metric_order"]

MAX_RUNS = 60
MAX_SERIES = 30
PREFERRED = ("balanced_accuracy", "accuracy", "f1_macro", "rmse", "mae")


@dataclass(frozen=True)
class BlockEntry:
    """One block of a run, as the tab shows it."""

    block: str
    rows: int | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    reference: DriftSummary | None = None  # against the champion's reference
    previous: DriftSummary | None = None  # against the block before
    decision: BlockDecision | None = None


def block_entries(report: RunReport) -> list[BlockEntry]:
    """The report's blocks, in order (empty if it has none).

    >>> report = RunReport.from_dict({"blocks": {"order": ["a"], "rows": {"a": 10},
    ...           "metrics": {"a": {"accuracy": 0.9}},
    ...           "drift": {"a": {"reference": {"drift": True, "share": 0.5}}}}})
    >>> entry = block_entries(report)[0]
    >>> entry.block, entry.rows, entry.metrics, entry.reference.drift
    ('a', 10, {'accuracy': 0.9}, True)
    >>> ipip = {"blocks": [{"block": 3, "rows": 5, "action": "update"}]}
    >>> ipip = RunReport.from_dict({"ipip": ipip})
    >>> block_entries(ipip)[0].block, block_entries(ipip)[0].decision.action
    ('3', 'update')
    """
    blocks = report.blocks
    if blocks is not None:
        out = []
        for b in blocks.order:
            drift = blocks.drift.get(b)
            out.append(
                BlockEntry(
                    block=b,
                    rows=blocks.rows.get(b),
                    metrics=blocks.metrics.get(b) or {},
                    reference=None if drift is None else drift.reference,
                    previous=None if drift is None else drift.previous,
                    decision=blocks.decisions.get(b),
                )
            )
        return out
    if report.ipip is not None:
        return [
            BlockEntry(
                block=r.block,
                rows=r.rows,
                metrics=r.metrics or {},
                decision=BlockDecision(r.action) if r.action else None,
            )
            for r in report.ipip.blocks
        ]
    return []


def _numbers(entry: BlockEntry) -> dict[str, float | None]:
    return {
        k: clean(float(v))
        for k, v in entry.metrics.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def _drift_cell(found: DriftSummary | None, *, decides: bool = True) -> Any:
    """Drift of a block: red against the reference (what decisions use); against the block
    before, amber "changed" (shown, but no decision rests on it)."""
    if found is None:
        return "—"
    share = "" if found.share is None else f" ({found.share:.0%})"
    if not found.drift:
        return badge("no_drift", f"no{share}")
    if decides:
        return badge("drift", f"drift{share}")
    return badge("warning", f"changed{share}")


def _why(entry: BlockEntry, run_reason: str) -> str:
    """Why the block got its action, consistent with the drift cells beside it."""
    decision, reference, previous = entry.decision, entry.reference, entry.previous
    if decision is not None and decision.flagged:
        return decision.why
    parts = []
    if reference is not None and reference.drift:
        parts.append(f"data drift from the reference in {', '.join(reference.drifted[:3])}")
    elif reference is not None:
        parts.append("no drift from the reference")
    if previous is not None and previous.drift:
        parts.append("changed from the block before (decisions compare with the reference)")
    if decision is not None and decision.new:
        parts.append("a new block")
    action = (decision.action if decision else "") or ""
    if action.startswith(("retrain", "train")) and not (reference and reference.drift):
        parts.append(f"the batch's decision: {run_reason}" if run_reason else "")
    text = "; ".join(p for p in parts if p)
    return text or (decision.why if decision else "") or ""


def build_blocks(
    reader: Reader, name: str, *, base: str = "", run: str | None = None, **_: Any
) -> dict[str, Any]:
    """The Blocks tab of pipeline ``name`` over its newest runs, looking at the blocks of run
    ``run`` (default: the newest with blocks); an unknown ``run`` raises RunNotFoundError."""
    record = reader.pipeline(name)
    wanted = chosen_run(reader, name, run)
    runs = reader.runs(name, limit=MAX_RUNS)
    if not runs:
        return tab("blocks", "Blocks", [notice("blocks-empty", empty_runs_text(record.spec, name))])
    with_blocks = _runs_with_blocks(reader, name, runs)
    column = (record.spec.get("data") or {}).get("block_column") or "block"
    if not with_blocks:
        text = f"No per-block results in the latest runs yet (blocks by '{column}')."
        return tab("blocks", "Blocks", [notice("blocks-none", text)])
    focus = _focus(reader, name, with_blocks, wanted)
    choose = _picker(with_blocks, wanted)
    if focus is None:
        text = f"Run {wanted.id} ({file_name(wanted.source)}) has no per-block results" + (
            f": it {wanted.status}." if wanted.status != "succeeded" else "."
        )
        return tab("blocks", "Blocks", [choose, notice("blocks-untested", text)],
                   run_id=wanted.id)  # fmt: skip
    run, report, latest = focus
    metric_names = metric_order(latest)
    drifted = sum(bool(e.reference and e.reference.drift) for e in latest)
    sections = [
        choose,
        kpis(
            "blocks-kpis",
            [
                kpi("block column", column),
                kpi("blocks in this batch", len(latest)),
                kpi("drifted from the reference", drifted, tone="bad" if drifted else "ok"),
                kpi("batch", file_name(run.source)),
            ],
        ),
        blocks_table(latest, metric_names, reason=run.summary.get("reason") or ""),
    ]
    main = metric_names[0] if metric_names else None
    if main is not None:
        sections.append(
            figure("blocks-metric", f"{main} per block", _metric_figure(with_blocks, main))
        )
    heat = _linked_heatmap(base, name, with_blocks, run, wanted)
    if heat is not None:
        sections.append(heat)
    matrix = _matrix_section(report)
    if matrix is not None:
        sections.append(matrix)
    return tab("blocks", "Blocks", sections, run_id=run.id)


def _picker(with_blocks, wanted) -> dict[str, Any]:
    """The run picker: every run with blocks, newest first, and ``wanted``."""
    offered = [r for r, _, _ in reversed(with_blocks)]
    if wanted is not None and all(r.id != wanted.id for r in offered):
        offered.insert(0, wanted)
    return picker("blocks", offered, (wanted or with_blocks[-1][0]).id,
                  note="Or click a column of the drift heatmap.")  # fmt: skip


def _linked_heatmap(base: str, name: str, with_blocks, run, wanted) -> dict[str, Any] | None:
    """The block drift heatmap whose columns open their batch, the batch shown framed
    (when one was asked for); None without drift results."""
    heat = _drift_heatmap(with_blocks)
    if heat is None:
        return None
    keys = [str(x) for x in heat["figure"]["data"][0]["x"]]
    heat["click"] = click_links(base, name, "blocks", keys, [r.id for r, _, _ in with_blocks])
    heat["note"] = "Click a column to open the blocks of that batch."
    at = next((i for i, w in enumerate(with_blocks) if w[0].id == run.id), None)
    if at is not None and wanted is not None:  # the batch shown above, framed
        heat["figure"]["layout"]["shapes"] = [
            {"type": "rect", "xref": "x", "yref": "paper", "x0": at - 0.5, "x1": at + 0.5,
             "y0": 0, "y1": 1, "line": {"color": "#111827", "width": 2}}
        ]  # fmt: skip
    return heat


def metric_order(entries: list[BlockEntry]) -> list[str]:
    """The metrics of ``entries``, the usual ones first."""
    names = sorted({k for e in entries for k in _numbers(e)})
    return [m for m in PREFERRED if m in names] + [m for m in names if m not in PREFERRED]


def blocks_table(
    entries: list[BlockEntry],
    metric_names: list[str],
    title: str = "Blocks of this batch",
    reason: str = "",
) -> dict[str, Any]:
    """One row per block: rows, metrics, drift against the reference and the block before
    (not used to decide), the action taken and why (``reason``: the run's own)."""
    columns = ["block", "rows", *metric_names, "drift vs reference",
               "vs previous block (not used to decide)", "drifted features", "action",
               "why"]  # fmt: skip
    rows = [_block_row(e, metric_names, reason) for e in entries]
    return table("blocks-latest", title, columns, rows)


def _focus(reader: Reader, name: str, with_blocks, wanted):
    """``(run, report, entries)`` the tab looks at: ``wanted`` (even older than the runs
    shown), else the newest with blocks; None when ``wanted`` has no blocks."""
    if wanted is None:
        return with_blocks[-1]
    found = next((w for w in with_blocks if w[0].id == wanted.id), None)
    if found is not None or wanted.status != "succeeded":
        return found
    report = reader.report(name, wanted)
    entries = block_entries(report)
    return (wanted, report, entries) if entries else None


def _runs_with_blocks(
    reader: Reader, name: str, runs: list
) -> list[tuple[Any, RunReport, list[BlockEntry]]]:
    """``(run, report, block entries)`` of the succeeded runs with blocks, oldest first."""
    with_blocks = []
    for run in reversed(runs):
        if run.status == "succeeded":
            report = reader.report(name, run)
            entries = block_entries(report)
            if entries:
                with_blocks.append((run, report, entries))
    return with_blocks


def _block_row(entry: BlockEntry, metric_names: list[str], run_reason: str = "") -> list[Any]:
    """One block of the latest batch: rows, metrics, drift and the action taken."""
    values = _numbers(entry)
    reference, decision = entry.reference, entry.decision
    return [entry.block, number(entry.rows),
            *[number(values.get(m)) for m in metric_names],
            _drift_cell(reference), _drift_cell(entry.previous, decides=False),
            ", ".join(reference.drifted[:5] if reference else []) or "—",
            (decision.action if decision else None) or "—",
            clip(_why(entry, run_reason), 240)]  # fmt: skip


def _matrix_section(report: RunReport) -> dict[str, Any] | None:
    """The block-by-block drift matrix of the latest batch, if its report has one."""
    matrix = report.blocks.matrix if report.blocks is not None else None
    if matrix is None or not matrix.get("blocks"):
        return None
    labels = [str(b) for b in matrix["blocks"]]
    return figure(
        "blocks-matrix",
        "Share of features drifted between blocks (latest batch)",
        figures.heatmap(matrix.get("share_drifted") or [], labels, labels,
                        title="share", zmax=1.0),
        note=f"{matrix.get('left_out')} older blocks left out (cap {matrix.get('cap')})."
        if matrix.get("left_out") else "",
    )  # fmt: skip


def _metric_figure(with_blocks, main: str) -> dict[str, Any]:
    """``main`` of each block: across runs when blocks recur, else across blocks in order."""
    series: dict[str, tuple[list, list]] = {}
    names = run_labels([run for run, _, _ in with_blocks])
    for run, _, entries in with_blocks:
        for entry in entries:
            value = _numbers(entry).get(main)
            if value is not None:
                xs, ys = series.setdefault(entry.block, ([], []))
                xs.append(names[run.id])
                ys.append(value)
    if all(len(xs) == 1 for xs, _ in series.values()):  # each block in one run: in order
        blocks = list(series)
        return figures.categorical_x(
            figures.line(
                [{"name": main, "x": blocks, "y": [series[b][1][0] for b in blocks]}],
                main,
                x_title="block",
            )
        )
    return _by_file(
        figures.line(
            [{"name": b, "x": xs, "y": ys} for b, (xs, ys) in list(series.items())[-MAX_SERIES:]],
            main,
        )
    )


def _by_file(fig: dict[str, Any]) -> dict[str, Any]:
    """Runs on the x axis by their batch file, as on the Runs tab, in order."""
    fig["layout"]["xaxis"] |= {"type": "category", "automargin": True,
                               "title": {"text": "batch file, oldest to newest"}}  # fmt: skip
    return fig


def _drift_heatmap(with_blocks) -> dict[str, Any] | None:
    blocks: list[str] = []
    for _, _, entries in with_blocks:
        blocks += [e.block for e in entries if e.block not in blocks]
    blocks = blocks[-MAX_SERIES:]
    z, seen = [], False
    for block in blocks:
        row = []
        for _, _, entries in with_blocks:
            found = next((e for e in entries if e.block == block), None)
            reference = found.reference if found else None
            row.append(None if reference is None else clean(reference.share))
            seen = seen or reference is not None
        z.append(row)
    if not seen:
        return None
    return figure(
        "blocks-drift",
        "Share of features drifted from the reference, by block and run",
        _by_file(figures.heatmap(z, list(run_labels([r for r, _, _ in with_blocks]).values()),
                                 blocks, title="share", zmax=1.0)),
    )  # fmt: skip
