"""The IPIP tab: ``p``, ``b``, the number of ensembles and the replacement share over blocks.

An IPIP run's report carries an :class:`~calmops.pipeline.report.IPIPSection`: one record
per block, processed prequentially, with the structure after it was learned. Every number
found is drawn over runs and blocks.
"""

from __future__ import annotations

from typing import Any

from calmops.pipeline.report import IPIPSection, RunReport
from calmops.web import figures
from calmops.web.format import number
from calmops.web.reader import Reader
from calmops.web.sections import figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, file_name
from calmops.web.views.status import empty_runs_text

__all__ = ["build_ipip", "ipip_points"]

MAX_RUNS = 200
KEYS = ("p", "b", "ensembles", "replaced_share")
#: what each IPIP number is called on the page
NAMES = {"p": "p (ensembles kept)", "b": "b (models per ensemble)",
         "replaced_share": "share replaced", "scored_rows": "rows scored"}  # fmt: skip


def _name(key: str) -> str:
    return NAMES.get(key, key.replace("_", " "))


def ipip_points(report: RunReport) -> list[dict[str, Any]]:
    """The IPIP numbers of a report: one dict per block.

    >>> report = RunReport.from_dict({"ipip": {"blocks": [{"block": "1", "ensembles": 3}]}})
    >>> ipip_points(report)
    [{'ensembles': 3, 'block': '1'}]
    >>> ipip_points(RunReport.from_dict({"ipip": {"p": 5, "ensembles": 4}}))  # an early report
    [{'p': 5, 'ensembles': 4, 'block': 'batch'}]
    """
    if report.ipip is None:
        return []
    points = []
    for record in report.ipip.blocks:
        numbers: dict[str, Any] = {
            k: v if isinstance(v, int) else clean(float(v))
            for k, v in record.to_dict().items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
        numbers["block"] = record.block
        points.append(numbers)
    return points


def build_ipip(reader: Reader, name: str, *, base: str = "", **_: Any) -> dict[str, Any]:
    """The IPIP tab of pipeline ``name``."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=MAX_RUNS)
    if not runs:
        return tab("ipip", "IPIP", [notice("ipip-empty", empty_runs_text(record.spec, name))])
    labels, points, latest_run, latest = _collect(reader, name, runs)
    if not points:
        text = "No IPIP structure in the latest runs yet: the first labelled batch builds it."
        return tab("ipip", "IPIP", [notice("ipip-none", text)])
    last = points[-1]
    keys = [k for k in KEYS if any(k in p for p in points)]
    keys += sorted({k for p in points for k in p} - set(keys))
    x = labels
    counts = [k for k in keys if "share" not in k and k not in ("rows", "scored_rows")]
    shares = [k for k in keys if "share" in k]
    preq = [kpi(f"prequential {k}", v) for k, v in latest.prequential.items()]
    structure = figures.line(
        [{"name": k, "x": x, "y": [p.get(k) for p in points], **_style(i)}
         for i, k in enumerate(counts[:6])],
        "count",
        x_title="block (in order)",
    )  # fmt: skip
    sections = [
        kpis("ipip-kpis", [kpi(_name(k), last.get(k)) for k in keys[:6]] + preq[:3]),
        figure(
            "ipip-structure",
            "p, b and ensembles over blocks",
            figures.categorical_x(structure),
            note=_overlaps(points, counts[:6]),
        ),
    ]
    if shares:
        sections.append(_replacement(x, points, shares))
    sizes = _models_per_ensemble(latest)
    if sizes:
        sections.append(_ensembles(sizes))
    sections.append(_numbers_table(labels, points, keys, latest_run))
    return tab("ipip", "IPIP", sections)


def _collect(reader: Reader, name: str, runs) -> tuple[list[str], list[dict], Any, IPIPSection]:
    """Over the succeeded runs, oldest first: a label and the IPIP numbers of each block, the
    last run with numbers, and the newest IPIP section."""
    labels, points, latest_run, latest = [], [], None, IPIPSection()
    for run in reversed(runs):
        if run.status != "succeeded":
            continue
        report = reader.report(name, run)
        if report.ipip is not None:
            latest = report.ipip
        for point in ipip_points(report):
            block = point.pop("block", None)
            labels.append(f"{file_name(run.source)}" + (f" · {block}" if block else ""))
            points.append(point)
            latest_run = run
    return labels, points, latest_run, latest


def _replacement(x: list[str], points: list[dict], shares: list[str]) -> dict[str, Any]:
    """The share of ensembles replaced at each block."""
    replaced = figures.bars(
        [{"name": _name(k), "x": x, "y": [p.get(k) for p in points]} for k in shares],
        "share",
        x_title="block (in order)",
    )
    return figure(
        "ipip-replacement",
        "Share of ensembles replaced at each block",
        figures.categorical_x(replaced),
    )


def _ensembles(sizes: list) -> dict[str, Any]:
    """The number of base models in each ensemble of the latest block."""
    return figure(
        "ipip-ensembles",
        "Base models in each ensemble (latest block)",
        figures.bars(
            [{"name": "models", "x": [f"e{i + 1}" for i in range(len(sizes))], "y": sizes}],
            "base models",
            x_title="ensemble",
        ),
    )


def _numbers_table(labels, points, keys, latest_run) -> dict[str, Any]:
    """Every IPIP number by block (the last 100 blocks)."""
    return table(
        "ipip-table",
        "IPIP numbers by block",
        ["block", *map(_name, keys)],
        [[labels[i], *[number(p.get(k)) for k in keys]] for i, p in enumerate(points)][-100:],
        note=f"Latest batch: {file_name(latest_run.source) if latest_run else '—'}.",
    )


#: line styles that keep coinciding series visible: dashes and marker shapes differ
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square-open", "diamond-open", "triangle-up-open", "x", "star-open")


def _style(i: int) -> dict[str, Any]:
    """The first series a wide pale band, the others thin lines with their own dash and
    marker drawn over it: a series equal to another stays visible."""
    color = figures.COLORS[i % len(figures.COLORS)]
    if i == 0:
        return {"line": {"color": color, "width": 9}, "opacity": 0.35,
                "marker": {"symbol": SYMBOLS[0], "size": 15}}  # fmt: skip
    return {"line": {"color": color, "dash": DASHES[i % 6], "width": 2},
            "marker": {"symbol": SYMBOLS[i % 6], "size": 9}}  # fmt: skip


def _overlaps(points: list[dict[str, Any]], keys: list[str]) -> str:
    """Say which lines coincide at every block (one would hide the other).

    >>> _overlaps([{"p": 5, "ensembles": 5}, {"p": 6, "ensembles": 6}], ["p", "ensembles"])
    'p and ensembles are equal at every block (the ensemble is pruned to p): their lines coincide.'
    """
    same = [
        (a, b)
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if all(pt.get(a) == pt.get(b) for pt in points) and any(a in pt for pt in points)
    ]
    if not same:
        return ""
    words = "; ".join(f"{a} and {b}" for a, b in same)
    pruned = " (the ensemble is pruned to p)" if ("p", "ensembles") in same else ""
    return f"{words} are equal at every block{pruned}: their lines coincide."


def _models_per_ensemble(ipip: IPIPSection) -> list[int]:
    for record in reversed(ipip.blocks):
        if record.models_per_ensemble:
            return list(record.models_per_ensemble)
    return []
