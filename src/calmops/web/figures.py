"""Plotly figures as plain dicts (``{"data": [...], "layout": {...}}``), ready for plotly.js.

Building the dicts directly keeps a page's JSON cheap: no figure objects, no validation pass.
Every figure shares one layout (fonts, margins, hover) so the tabs look alike.

Examples
--------
>>> fig = line([{"name": "acc", "x": [1, 2], "y": [0.9, 0.8]}], "metric")
>>> fig["data"][0]["type"], fig["layout"]["yaxis"]["title"]["text"]
('scatter', 'metric')
"""

from __future__ import annotations

from typing import Any

__all__ = ["bars", "categorical_x", "heatmap", "layout", "line", "sparkline_points"]

COLORS = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04"]


def layout(y_title: str = "", x_title: str = "", **extra: Any) -> dict[str, Any]:
    """The shared layout; ``extra`` keys override it."""
    base: dict[str, Any] = {
        "margin": {"l": 56, "r": 16, "t": 36, "b": 48},
        "height": 320,
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    base.update(extra)
    return base


def line(series: list[dict[str, Any]], y_title: str = "", **extra: Any) -> dict[str, Any]:
    """Lines with markers, one per ``{"name", "x", "y"}`` (other keys pass through)."""
    data = []
    for i, s in enumerate(series):
        trace = {
            "type": "scatter",
            "mode": "lines+markers",
            "line": {"color": COLORS[i % len(COLORS)]},
            **s,
        }
        data.append(trace)
    return {"data": data, "layout": layout(y_title, **extra)}


def bars(series: list[dict[str, Any]], y_title: str = "", **extra: Any) -> dict[str, Any]:
    """Grouped bars, one trace per ``{"name", "x", "y"}``."""
    data = [
        {"type": "bar", "marker": {"color": COLORS[i % len(COLORS)]}, **s}
        for i, s in enumerate(series)
    ]
    return {"data": data, "layout": layout(y_title, barmode="group", **extra)}


def heatmap(
    z: list[list[float | None]],
    x: list[str],
    y: list[str],
    *,
    text: list[list[str]] | None = None,
    labels: list[list[str]] | None = None,
    colorscale: str = "YlOrRd",
    title: str = "",
    zmin: float | None = 0.0,
    zmax: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A heatmap with hover ``text``; small grids print ``labels`` in their cells (the value
    when there are none)."""
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": z,
        "x": x,
        "y": y,
        "colorscale": colorscale,
        "reversescale": True,  # plotly's sequential scales start dark; low values stay pale
        "zmin": zmin,
        "hoverongaps": False,
        "colorbar": {"title": {"text": title}},
    }
    if zmax is not None:
        trace["zmax"] = zmax
    small = len(x) * len(y) <= 400
    if text is not None:
        trace["customdata"] = text
        trace["hovertemplate"] = "%{y} · %{x}<br>%{customdata}<extra></extra>"
        if small:
            trace["texttemplate"] = "%{z:.2f}"
    if labels is not None and small:
        trace["text"] = labels
        trace["texttemplate"] = "%{text}"
    height = max(240, min(900, 28 * len(y) + 120))
    fig = {"data": [trace], "layout": layout(height=height, **extra)}
    for axis in ("xaxis", "yaxis"):  # labels such as "2024-03" are names here, not dates
        fig["layout"][axis]["type"] = "category"
    return fig


def categorical_x(fig: dict[str, Any]) -> dict[str, Any]:
    """``fig`` with its x axis read as names (a block "2024-03" is not a date); returns it.

    >>> categorical_x(line([], ""))["layout"]["xaxis"]["type"]
    'category'
    """
    fig["layout"]["xaxis"]["type"] = "category"
    return fig


def sparkline_points(values: list[float | None], width: int = 120, height: int = 28) -> str:
    """SVG ``polyline`` points of ``values`` (None skipped), scaled into ``width`` x ``height``.

    >>> sparkline_points([0.0, 1.0, 0.5], width=10, height=10)
    '1.0,9.0 5.0,1.0 9.0,5.0'
    >>> sparkline_points([])
    ''
    """
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = (high - low) or 1.0
    steps = max(len(values) - 1, 1)
    pad = 1.0
    points = []
    for i, v in known:
        x = pad + (width - 2 * pad) * (i / steps if len(values) > 1 else 0.5)
        y = pad + (height - 2 * pad) * (1 - (v - low) / span if high > low else 0.5)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)
