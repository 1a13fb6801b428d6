"""The per-block part of a run report in a terminal (block and IPIP pipelines)."""

from __future__ import annotations

from typing import Any

__all__ = ["render_blocks"]

MAX_BLOCKS = 24


def render_blocks(out: Any, report: dict[str, Any]) -> None:
    """A table of the blocks: rows, metric, drift, decision and, for IPIP, the structure."""
    blocks = report.get("blocks")
    if not blocks:
        return
    from rich.table import Table

    ipip = {r["block"]: r for r in (report.get("ipip") or {}).get("blocks", [])}
    metrics = blocks.get("metrics") or {}
    drift = blocks.get("drift") or {}
    decisions = blocks.get("decisions") or {}
    title = f"blocks of '{blocks['column']}' ({len(blocks['order'])}, in natural order)"
    table = Table(box=None, header_style="bold", title=title)
    columns = ["block", "rows", "bal. acc.", "drift vs reference", "vs previous", "action"]
    if ipip:
        columns += ["p", "b", "ensembles", "replaced"]
    for column in columns:
        table.add_column(column)
    for block in blocks["order"][:MAX_BLOCKS]:
        entry = drift.get(block) or {}
        score = (metrics.get(block) or {}).get("balanced_accuracy")
        row = [
            block,
            f"{blocks['rows'][block]:,}",
            "—" if score is None else f"{score:.3f}",
            _drifted(entry.get("reference"), entry.get("skipped")),
            _drifted(entry.get("previous"), entry.get("skipped")),
            (decisions.get(block) or {}).get("action", "—"),
        ]
        if ipip:
            record = ipip.get(block, {})
            row += [str(record.get(k, "—")) for k in ("p", "b", "ensembles")]
            share = record.get("replaced_share")
            row.append("—" if share is None else f"{share:.0%}")
        table.add_row(*row)
    out.print()
    out.print(table)
    if len(blocks["order"]) > MAX_BLOCKS:
        out.print(f"… and {len(blocks['order']) - MAX_BLOCKS} more blocks (see --json)")
    evaluation = blocks.get("evaluation")
    if evaluation:
        out.print(f"evaluated on: {evaluation['mode']} ({', '.join(evaluation['blocks'])})")
    for router in blocks.get("router") or []:
        retrained = router.get("retrained")
        out.print(
            f"router: models for {', '.join(router['block_models']) or 'no block'}; unseen blocks "
            f"→ {router['unseen']}" + (f"; retrained {', '.join(retrained)}" if retrained else ""),
            markup=False,
        )


def _drifted(entry: dict[str, Any] | None, skipped: str | None) -> str:
    if skipped:
        return f"not tested ({skipped})"
    if not entry:
        return "—"
    if not entry["drifted"]:
        return "none"
    return ("DRIFT " if entry["drift"] else "") + ", ".join(entry["drifted"][:4])
