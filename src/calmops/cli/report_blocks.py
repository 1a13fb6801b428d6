"""The per-block part of a run report in a terminal (block and IPIP pipelines)."""

from __future__ import annotations

from typing import Any

from calmops.pipeline.report import RunReport
from calmops.pipeline.sections import BlockDrift, DriftSummary

__all__ = ["render_blocks"]

MAX_BLOCKS = 24


def render_blocks(out: Any, report: RunReport) -> None:
    """A table of the blocks: rows, metric, drift, decision and, for IPIP, the structure."""
    blocks = report.blocks
    if blocks is None:
        return
    from rich.table import Table

    ipip = {r.block: r for r in report.ipip.blocks} if report.ipip is not None else {}
    title = f"blocks of '{blocks.column}' ({len(blocks.order)}, in natural order)"
    table = Table(box=None, header_style="bold", title=title)
    columns = ["block", "rows", "bal. acc.", "drift vs reference", "vs previous", "action"]
    if ipip:
        columns += ["p", "b", "ensembles", "replaced"]
    for column in columns:
        table.add_column(column)
    for block in blocks.order[:MAX_BLOCKS]:
        entry = blocks.drift.get(block) or BlockDrift()
        score = (blocks.metrics.get(block) or {}).get("balanced_accuracy")
        decision = blocks.decisions.get(block)
        row = [
            block,
            f"{blocks.rows[block]:,}",
            "—" if score is None else f"{score:.3f}",
            _drifted(entry.reference, entry.skipped),
            _drifted(entry.previous, entry.skipped),
            decision.action if decision else "—",
        ]
        if block in ipip:
            record = ipip[block]
            row += ["—" if v is None else str(v) for v in (record.p, record.b, record.ensembles)]
            share = record.replaced_share
            row.append("—" if share is None else f"{share:.0%}")
        elif ipip:
            row += ["—"] * 4
        table.add_row(*row)
    out.print()
    out.print(table)
    if len(blocks.order) > MAX_BLOCKS:
        out.print(f"… and {len(blocks.order) - MAX_BLOCKS} more blocks (see --json)")
    if blocks.evaluation is not None:
        evaluation = blocks.evaluation
        out.print(f"evaluated on: {evaluation.mode} ({', '.join(evaluation.blocks)})")
    for router in blocks.router:
        retrained = router.retrained
        out.print(
            f"router: models for {', '.join(router.block_models) or 'no block'}; unseen blocks "
            f"→ {router.unseen}" + (f"; retrained {', '.join(retrained)}" if retrained else ""),
            markup=False,
        )


def _drifted(entry: DriftSummary | None, skipped: str | None) -> str:
    if skipped:
        return f"not tested ({skipped})"
    if entry is None:
        return "—"
    if not entry.drifted:
        return "none"
    return ("DRIFT " if entry.drift else "") + ", ".join(entry.drifted[:4])
