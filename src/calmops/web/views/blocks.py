"""The Blocks tab (block and IPIP kinds): per-block metrics and drift, from the run reports.

A block run's report holds ``blocks`` (see ``calmops.pipeline.report``): ``order``, ``rows``,
``metrics {block: {name: value}}``, ``drift {block: {reference, previous}}``, ``matrix``,
``decisions {block: {action, why}}``. An IPIP run's report holds ``ipip.blocks``, a list of
``{block, rows, metrics, action, ...}``. Both become one list of entries per run.
"""

from __future__ import annotations

from typing import Any

from calmops.web import figures
from calmops.web.format import number
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, file_name
from calmops.web.views.status import empty_runs_text

__all__ = ["block_entries", "build_blocks"]

MAX_RUNS = 60
MAX_SERIES = 30
PREFERRED = ("balanced_accuracy", "accuracy", "f1_macro", "rmse", "mae")


def block_entries(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's blocks as ``[{block, rows, metrics, drift, decision}]`` (empty if none).

    >>> report = {"blocks": {"order": ["a"], "rows": {"a": 10},
    ...           "metrics": {"a": {"accuracy": 0.9}},
    ...           "drift": {"a": {"reference": {"drift": True, "share": 0.5}}}}}
    >>> entry = block_entries(report)[0]
    >>> entry["block"], entry["rows"], entry["metrics"], entry["drift"]["reference"]["drift"]
    ('a', 10, {'accuracy': 0.9}, True)
    >>> ipip = {"ipip": {"blocks": [{"block": 3, "rows": 5, "action": "update"}]}}
    >>> block_entries(ipip)[0]["block"]
    '3'
    """
    blocks = report.get("blocks")
    if isinstance(blocks, dict):
        order = blocks.get("order") or list(blocks.get("rows") or blocks.get("metrics") or {})
        part = {key: blocks.get(key) or {} for key in ("rows", "metrics", "drift", "decisions")}
        return [
            {
                "block": str(b),
                "rows": part["rows"].get(b),
                "metrics": part["metrics"].get(b) or {},
                "drift": part["drift"].get(b) or {},
                "decision": part["decisions"].get(b) or {},
            }
            for b in order
        ]
    ipip = report.get("ipip")
    if isinstance(ipip, dict) and isinstance(ipip.get("blocks"), list):
        return [
            {
                "block": str(e.get("block", i)),
                "rows": e.get("rows"),
                "metrics": e.get("metrics") or {},
                "drift": {},
                "decision": {"action": e.get("action")} if e.get("action") else {},
            }
            for i, e in enumerate(ipip["blocks"])
            if isinstance(e, dict)
        ]
    return []


def _numbers(entry: dict[str, Any]) -> dict[str, float | None]:
    return {
        k: clean(float(v))
        for k, v in (entry.get("metrics") or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def _side(entry: dict[str, Any], side: str) -> dict[str, Any] | None:
    found = (entry.get("drift") or {}).get(side)
    return found if isinstance(found, dict) else None


def _drift_cell(found: dict[str, Any] | None) -> Any:
    if found is None:
        return "—"
    share = found.get("share")
    text = ("drift" if found.get("drift") else "no") + ("" if share is None else f" ({share:.0%})")
    return badge("drift" if found.get("drift") else "no_drift", text)


def build_blocks(reader: Reader, name: str, *, base: str = "", **_: Any) -> dict[str, Any]:
    """The Blocks tab of pipeline ``name`` over its newest runs."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=MAX_RUNS)
    if not runs:
        return tab("blocks", "Blocks", [notice("blocks-empty", empty_runs_text(record.spec, name))])
    with_blocks = []
    for run in reversed(runs):
        if run.status == "succeeded":
            report = reader.report(name, run)
            entries = block_entries(report)
            if entries:
                with_blocks.append((run, report, entries))
    column = (record.spec.get("data") or {}).get("block_column") or "block"
    if not with_blocks:
        text = f"No per-block results in the latest runs yet (blocks by '{column}')."
        return tab("blocks", "Blocks", [notice("blocks-none", text)])
    run, report, latest = with_blocks[-1]
    metric_names = sorted({k for e in latest for k in _numbers(e)})
    metric_names = [m for m in PREFERRED if m in metric_names] + [
        m for m in metric_names if m not in PREFERRED
    ]
    rows = []
    for entry in latest:
        values = _numbers(entry)
        reference = _side(entry, "reference")
        decision = entry.get("decision") or {}
        rows.append(
            [entry["block"], number(entry.get("rows")),
             *[number(values.get(m)) for m in metric_names],
             _drift_cell(reference), _drift_cell(_side(entry, "previous")),
             ", ".join((reference or {}).get("drifted", [])[:5]) or "—",
             decision.get("action") or "—", (decision.get("why") or "")[:160]]
        )  # fmt: skip
    drifted = sum(bool((_side(e, "reference") or {}).get("drift")) for e in latest)
    sections = [
        kpis(
            "blocks-kpis",
            [
                kpi("block column", column),
                kpi("blocks in the latest batch", len(latest)),
                kpi("drifted from the reference", drifted, tone="bad" if drifted else "ok"),
                kpi("latest batch", file_name(run.source)),
            ],
        ),
        table(
            "blocks-latest",
            "Blocks of the latest batch",
            [
                "block",
                "rows",
                *metric_names,
                "drift vs reference",
                "vs previous block",
                "drifted features",
                "action",
                "why",
            ],  # fmt: skip
            rows,
        ),
    ]
    main = metric_names[0] if metric_names else None
    if main is not None:
        sections.append(
            figure("blocks-metric", f"{main} per block", _metric_figure(with_blocks, main))
        )
    heat = _drift_heatmap(with_blocks)
    if heat is not None:
        sections.append(heat)
    matrix = (
        (report.get("blocks") or {}).get("matrix")
        if isinstance(report.get("blocks"), dict)
        else None
    )
    if isinstance(matrix, dict) and matrix.get("blocks"):
        labels = [str(b) for b in matrix["blocks"]]
        sections.append(
            figure(
                "blocks-matrix",
                "Share of features drifted between blocks (latest batch)",
                figures.heatmap(matrix.get("share_drifted") or [], labels, labels,
                                title="share", zmax=1.0),
                note=f"{matrix.get('left_out')} older blocks left out (cap {matrix.get('cap')})."
                if matrix.get("left_out") else "",
            )
        )  # fmt: skip
    return tab("blocks", "Blocks", sections)


def _metric_figure(with_blocks, main: str) -> dict[str, Any]:
    """``main`` of each block: across runs when blocks recur, else across blocks in order."""
    series: dict[str, tuple[list, list]] = {}
    for i, (_, _, entries) in enumerate(with_blocks):
        for entry in entries:
            value = _numbers(entry).get(main)
            if value is not None:
                xs, ys = series.setdefault(entry["block"], ([], []))
                xs.append(i + 1)
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
    return figures.line(
        [{"name": b, "x": xs, "y": ys} for b, (xs, ys) in list(series.items())[-MAX_SERIES:]],
        main,
        x_title="run",
    )


def _drift_heatmap(with_blocks) -> dict[str, Any] | None:
    blocks: list[str] = []
    for _, _, entries in with_blocks:
        blocks += [e["block"] for e in entries if e["block"] not in blocks]
    blocks = blocks[-MAX_SERIES:]
    z, seen = [], False
    for block in blocks:
        row = []
        for _, _, entries in with_blocks:
            found = next((e for e in entries if e["block"] == block), None)
            reference = _side(found, "reference") if found else None
            row.append(None if reference is None else clean(reference.get("share")))
            seen = seen or reference is not None
        z.append(row)
    if not seen:
        return None
    return figure(
        "blocks-drift",
        "Share of features drifted from the reference, by block and run",
        figures.heatmap(z, [str(i + 1) for i in range(len(with_blocks))], blocks,
                        title="share", zmax=1.0),
    )  # fmt: skip
