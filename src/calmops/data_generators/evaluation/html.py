"""The evaluation report as one self-contained HTML page, in the drift report's style.

plotly.js is inlined from the installed ``plotly`` package (never a CDN), so the page opens
offline; the figures' data are embedded as JSON.
"""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np
import pandas as pd

from calmops.data_generators.evaluation.headlines import HEADLINES
from calmops.drift.html import REPORT_CSS, format_number

__all__ = ["render_html"]

WORST_PAIRS = 10
_EXTRA_CSS = """
.bar{display:inline-block;height:.7rem;background:#2e86c1;border-radius:2px;vertical-align:middle}
td.meaning{color:#555;max-width:34rem}
"""


def _bar(score: float | None) -> str:
    width = 0 if score is None else max(0.0, min(1.0, score)) * 80
    return f'<span class="bar" style="width:{width:.0f}px"></span>'


def _headline_rows(data: dict[str, Any]) -> str:
    numbers = {key: data[key.split(".")[0]][key.split(".")[1]] for key in HEADLINES}
    privacy = data["privacy"]
    beside = {  # the same figure for the holdout's rows, as in the CLI's table
        "privacy.exact_copies": privacy["holdout_exact_copies"],
        "privacy.dcr_5th_percentile": privacy["holdout_dcr_5th_percentile"],
    }
    rows = []
    for key, (meaning, direction) in HEADLINES.items():
        other = beside.get(key)
        holdout = "—" if other is None else format_number(other, 3)
        rows.append(
            f"<tr><td><b>{key}</b></td>"
            f'<td class="num">{format_number(numbers[key], 3)}</td><td class="num">{holdout}</td>'
            f'<td class="meaning">{html.escape(meaning)}</td><td>{html.escape(direction)}</td></tr>'
        )
    return "".join(rows)


def _column_rows(data: dict[str, Any]) -> str:
    return "".join(
        f"<tr><td>{html.escape(name)}</td><td>{c['kind']}</td><td>{c['metric']}</td>"
        f'<td class="num">{format_number(c["statistic"], 3)}</td>'
        f'<td class="num">{format_number(c["score"], 3)}</td><td>{_bar(c["score"])}</td></tr>'
        for name, c in data["fidelity"]["columns"].items()
    )


def _pair_rows(data: dict[str, Any]) -> str:
    pairs = data["fidelity"]["pairs"]
    worst = sorted(pairs, key=lambda p: p["score"] if p["score"] is not None else 1)
    return "".join(
        f"<tr><td>{' × '.join(html.escape(c) for c in p['columns'])}</td><td>{p['metric']}</td>"
        f'<td class="num">{format_number(p["real"], 3)}</td>'
        f'<td class="num">{format_number(p["synthetic"], 3)}</td>'
        f'<td class="num">{format_number(p["score"], 3)}</td><td>{_bar(p["score"])}</td></tr>'
        for p in worst[:WORST_PAIRS]
    )


def _distribution_figure(name: str, shape: dict[str, Any]) -> dict[str, Any]:
    if shape["type"] == "histogram":
        edges = np.asarray(shape["edges"])
        centres = (edges[:-1] + edges[1:]) / 2
        width: float | None = float(edges[1] - edges[0])
        x: list[Any] = centres.tolist()
        if shape.get("datetime"):
            x = [str(t) for t in pd.to_datetime(centres, unit="ns")]
            width = None
    else:
        x, width = shape["labels"], None
    traces = [
        {"type": "bar", "name": side, "x": x, "y": shape[side], "opacity": 0.6, "width": width}
        for side in ("real", "synthetic")
    ]
    layout = {
        "title": {"text": name, "font": {"size": 14}},
        "barmode": "overlay" if shape["type"] == "histogram" else "group",
        "height": 280,
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "yaxis": {"title": {"text": "share"}},
        "legend": {"orientation": "h"},
    }
    if shape["type"] != "histogram":  # labels such as "1", "0.5": categories, not an axis
        layout["xaxis"] = {"type": "category"}
    return {"data": traces, "layout": layout}


def _pair_heatmap(data: dict[str, Any]) -> dict[str, Any] | None:
    names = list(data["fidelity"]["columns"])
    if len(names) < 2:
        return None
    index = {n: i for i, n in enumerate(names)}
    grid: list[list[float | None]] = [[None] * len(names) for _ in names]
    for p in data["fidelity"]["pairs"]:
        i, j = (index[c] for c in p["columns"])
        grid[i][j] = grid[j][i] = None if p["score"] is None else round(p["score"], 4)
    trace = {
        "type": "heatmap",
        "x": names,
        "y": names,
        "z": grid,
        "zmin": 0.5,
        "zmax": 1,
        "colorscale": [[0, "#c0392b"], [0.5, "#f4d03f"], [1, "#1e8449"]],
        "hovertemplate": "%{y} × %{x}: %{z}<extra></extra>",
    }
    cells = max(200, min(560, 40 * len(names)))
    label = min(260, 7 * max(len(n) for n in names) + 16)  # px: the longest name, 12px font
    layout = {
        "title": {"text": "pair scores (1 = same relation)", "font": {"size": 14}},
        "height": cells + 40 + int(label * 0.75),  # x labels are slanted
        "width": cells + label + 110,
        "margin": {"l": label, "r": 10, "t": 40, "b": int(label * 0.75)},
        "xaxis": {"automargin": True, "tickangle": 45},
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    return {"data": [trace], "layout": layout}


def render_html(
    data: dict[str, Any],
    distributions: dict[str, dict[str, Any]],
    *,
    title: str = "CalmOps synthetic data report",
) -> str:
    """One HTML document (a few MB: plotly.js is inlined) from a report's ``to_dict()`` and
    its per-column ``distributions``."""
    from plotly.offline import get_plotlyjs

    figures = {
        f"plot-{i}": _distribution_figure(name, shape)
        for i, (name, shape) in enumerate(distributions.items())
    }
    heatmap = _pair_heatmap(data)
    if heatmap is not None:
        figures["pairs-heatmap"] = heatmap
    divs = "".join(f'<div id="{key}"></div>' for key in figures if key.startswith("plot-"))
    payload = json.dumps(figures).replace("</", "<\\/")
    rows, utility = data["rows"], data["utility"]
    settings = (
        f"{rows['real']} real rows, {rows['synthetic']} synthetic rows, "
        f"{rows['holdout'] if rows['holdout'] is not None else 'no'} holdout rows; "
        f"detection on {data['detection']['rows_per_side']} rows a side; seed {data['seed']}"
    )
    if utility["target"] is not None:
        settings += f"; utility: {utility['task']} of {utility['target']!r} ({utility['metric']})"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{REPORT_CSS}{_EXTRA_CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{html.escape(title)}</h1><p class="muted">{html.escape(settings)}</p>
<h2>Headline numbers</h2>
<table><thead><tr><th>measure</th><th>value</th><th>holdout</th><th>what it is</th>
<th>good is</th></tr></thead>
<tbody>{_headline_rows(data)}</tbody></table>
<h2>Columns</h2>
<table><thead><tr><th>column</th><th>kind</th><th>metric</th><th>statistic</th><th>score</th>
<th></th></tr></thead><tbody>{_column_rows(data)}</tbody></table>
<h2>Column pairs</h2>
<p class="muted">The {WORST_PAIRS} pairs whose relation is least alike (correlations are
Spearman's, real then synthetic).</p>
<table><thead><tr><th>pair</th><th>metric</th><th>real</th><th>synthetic</th><th>score</th>
<th></th></tr></thead><tbody>{_pair_rows(data)}</tbody></table>
{'<div id="pairs-heatmap"></div>' if heatmap is not None else ""}
<h2>Distributions</h2><div class="plots">{divs}</div>
<script>
const figures = {payload};
for (const [id, fig] of Object.entries(figures)) {{
  Plotly.newPlot(id, fig.data, fig.layout, {{displayModeBar: false, responsive: true}});
}}
</script></body></html>
"""
