"""The Blocks tab (block and IPIP kinds): per-block metrics and drift, from what the run
reports hold.

A block run's report may carry ``blocks``: a mapping ``{block: {...}}`` or a list of
``{"block": ..., ...}``; each block's numbers (``metrics`` or top-level numbers) and drift
(``drift`` with ``drift_detected``/``share_drifted``/``n_drifted``) are shown as they are.
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


def block_entries(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's blocks as ``[{"block": name, ...}]`` (empty when it has none).

    >>> block_entries({"blocks": {"2024-01": {"metrics": {"accuracy": 0.9}}}})
    [{'metrics': {'accuracy': 0.9}, 'block': '2024-01'}]
    >>> block_entries({"blocks": [{"block": "a", "accuracy": 0.5}]})[0]["block"]
    'a'
    """
    blocks = report.get("blocks")
    if isinstance(blocks, dict):
        items = blocks.get("items") if isinstance(blocks.get("items"), list | dict) else blocks
        if isinstance(items, dict):
            return [
                {**(v if isinstance(v, dict) else {"value": v}), "block": str(k)}
                for k, v in items.items()
            ]
        blocks = items
    if isinstance(blocks, list):
        return [
            {**b, "block": str(b.get("block", b.get("name", i)))}
            for i, b in enumerate(blocks)
            if isinstance(b, dict)
        ]
    return []


def _numbers(entry: dict[str, Any]) -> dict[str, float]:
    found = {k: v for k, v in (entry.get("metrics") or {}).items() if isinstance(v, int | float)}
    for key, value in entry.items():
        if key not in ("block", "metrics", "drift") and isinstance(value, int | float):
            found.setdefault(key, value)
    return {k: clean(float(v)) for k, v in found.items() if not isinstance(v, bool)}


def _drift(entry: dict[str, Any]) -> tuple[bool | None, str]:
    drift = entry.get("drift")
    if isinstance(drift, bool):
        return drift, ""
    if isinstance(drift, dict):
        detected = drift.get("drift_detected", drift.get("drift"))
        share = drift.get("share_drifted")
        return (bool(detected) if detected is not None else None,
                "" if share is None else f"{share:.0%} of features")  # fmt: skip
    return None, ""


def build_blocks(reader: Reader, name: str, *, base: str = "", **_: Any) -> dict[str, Any]:
    """The Blocks tab of pipeline ``name``."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=MAX_RUNS)
    if not runs:
        return tab("blocks", "Blocks", [notice("blocks-empty", empty_runs_text(record.spec, name))])
    with_blocks = []
    for run in reversed(runs):
        if run.status == "succeeded":
            entries = block_entries(reader.report(name, run))
            if entries:
                with_blocks.append((run, entries))
    column = (record.spec.get("data") or {}).get("block_column") or "block"
    if not with_blocks:
        text = f"No per-block results in the latest runs yet (blocks by '{column}')."
        return tab("blocks", "Blocks", [notice("blocks-none", text)])
    run, latest = with_blocks[-1]
    metric_names = sorted({k for e in latest for k in _numbers(e)})
    rows = []
    for entry in latest:
        values = _numbers(entry)
        detected, share = _drift(entry)
        rows.append(
            [entry["block"], *[number(values.get(m)) for m in metric_names],
             badge("drift" if detected else "no_drift", "drift" if detected else "no")
             if detected is not None else "—", share or "—"]
        )  # fmt: skip
    sections = [
        kpis(
            "blocks-kpis",
            [
                kpi("block column", column),
                kpi("blocks in the latest batch", len(latest)),
                kpi("blocks drifted", sum(_drift(e)[0] is True for e in latest)),
                kpi("latest batch", file_name(run.source)),
            ],
        ),
        table(
            "blocks-latest",
            "Blocks of the latest batch",
            ["block", *metric_names, "drift", "drifted"],
            rows,
        ),  # fmt: skip
    ]
    main = next((m for m in ("balanced_accuracy", "accuracy", "rmse", "f1_macro")
                 if m in metric_names), metric_names[0] if metric_names else None)  # fmt: skip
    if main is not None:
        series: dict[str, tuple[list, list]] = {}
        for i, (_, entries) in enumerate(with_blocks):
            for entry in entries:
                value = _numbers(entry).get(main)
                if value is not None:
                    xs, ys = series.setdefault(entry["block"], ([], []))
                    xs.append(i + 1)
                    ys.append(value)
        fig = figures.line(
            [{"name": b, "x": xs, "y": ys} for b, (xs, ys) in list(series.items())[:30]],
            main,
            x_title="run",
        )
        sections.append(figure("blocks-metric", f"{main} per block over runs", fig))
    drift_z = [
        [1.0 if _drift(e)[0] else 0.0 if _drift(e)[0] is False else None for e in entries]
        for _, entries in with_blocks
    ]
    if any(v is not None for row in drift_z for v in row):
        blocks = [e["block"] for e in latest]
        z = []
        for block in blocks:
            row = []
            for _, entries in with_blocks:
                found = next((e for e in entries if e["block"] == block), None)
                detected = _drift(found)[0] if found else None
                row.append(None if detected is None else float(detected))
            z.append(row)
        sections.append(
            figure(
                "blocks-drift", "Drift by block and run",
                figures.heatmap(z, [str(i + 1) for i in range(len(with_blocks))], blocks,
                                colorscale="Reds", title="drift"),
            )
        )  # fmt: skip
    return tab("blocks", "Blocks", sections)
