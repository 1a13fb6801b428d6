"""The building blocks every tab is made of, as plain dicts.

A tab is ``{"tab", "title", "sections": [...]}``; each section has an ``id`` (what tests and
the page's script look for) and a ``kind``:

=========  ==================================================================================
kind       fields
=========  ==================================================================================
kpis       ``items``: [{label, value, hint, tone}]
table      ``columns`` [str], ``rows`` [[cell]], ``note``, ``narrow`` [bool] (the columns
           kept on a phone; absent: all); a cell is a string or a dict: ``{"time"}``,
           ``{"badge", "tone"}``, ``{"link", "text"}``, ``{"spark"}``,
           ``{"action", "label", ...}`` (a button)
figure     ``figure`` {data, layout} for plotly.js, or ``choices`` {label: figure}
notice     ``text``, ``tone`` (empty states say what to do)
logs       ``lines`` [{at, level, message}], ``levels``, ``offset``
=========  ==================================================================================

Titles, column names, notes, KPI labels, badges and chart legends are put in words here
(:func:`calmops.web.format.words`): a view may name ``balanced_accuracy`` or ``no_drift``, a
page reads "balanced accuracy" and "no drift".

Examples
--------
>>> table("t", "Runs", ["a", "b"], [[1, "x"]])["rows"]
[['1', 'x']]
>>> badge("no_drift")
{'badge': 'no drift', 'tone': 'ok'}
>>> table("t", "rmse", ["file", "why"], [], phone=["file"])["narrow"]
[True, False]
"""

from __future__ import annotations

from typing import Any

from calmops.web.format import label, number, tone_of, words

__all__ = [
    "badge",
    "figure",
    "find",
    "kpi",
    "kpis",
    "link",
    "notice",
    "table",
    "tab",
]


def tab(name: str, title: str, sections: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """One tab of a pipeline page."""
    return {"tab": name, "title": title, "sections": sections, **extra}


def kpi(label: str, value: Any, hint: str = "", tone: str = "") -> dict[str, str]:
    return {
        "label": words(label),
        "value": value if isinstance(value, str) else number(value),
        "hint": hint,
        "tone": tone,
    }


def kpis(section_id: str, items: list[dict[str, str]]) -> dict[str, Any]:
    return {"id": section_id, "kind": "kpis", "items": items}


def table(
    section_id: str,
    title: str,
    columns: list[str],
    rows: list[list[Any]],
    note: str = "",
    *,
    phone: list[str] | None = None,
) -> dict[str, Any]:
    """A table; ``phone`` names the columns kept on a narrow screen (default: all)."""
    cells = [[c if isinstance(c, dict | str) else number(c) for c in row] for row in rows]
    out = {
        "id": section_id,
        "kind": "table",
        "title": words(title),
        "columns": [words(c) for c in columns],
        "rows": cells,
        "note": words(note),
    }
    if phone is not None:
        out["narrow"] = [c in phone for c in columns]
    return out


def figure(
    section_id: str,
    title: str,
    fig: dict[str, Any] | None = None,
    *,
    choices: dict[str, dict[str, Any]] | None = None,
    note: str = "",
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": section_id,
        "kind": "figure",
        "title": words(title),
        "note": words(note),
    }
    if choices is not None:
        out["choices"] = {words(k): _spelled(f) for k, f in choices.items()}
        out["figure"] = next(iter(out["choices"].values())) if choices else None
    else:
        out["figure"] = _spelled(fig)
    return out


def _spelled(fig: dict[str, Any] | None) -> dict[str, Any] | None:
    """``fig`` with its legend names and axis titles in words (a shallow copy)."""
    if not fig:
        return fig
    data = [{**t, "name": words(t["name"])} if t.get("name") else t for t in fig["data"]]
    layout = dict(fig.get("layout") or {})
    for key, axis in layout.items():
        title = axis.get("title") if key.startswith(("xaxis", "yaxis")) else None
        if isinstance(title, dict) and title.get("text"):
            layout[key] = {**axis, "title": {**title, "text": words(title["text"])}}
    return {**fig, "data": data, "layout": layout}


def notice(section_id: str, text: str, tone: str = "info") -> dict[str, Any]:
    return {"id": section_id, "kind": "notice", "text": text, "tone": tone}


def badge(state: str | None, text: str | None = None) -> dict[str, str] | str:
    if not state:
        return "—"
    return {"badge": text or label(state), "tone": tone_of(state)}


def link(href: str, text: str) -> dict[str, str]:
    return {"link": href, "text": text}


def find(page: dict[str, Any], section_id: str) -> dict[str, Any]:
    """The section ``section_id`` of a tab (KeyError when absent)."""
    for section in page.get("sections", []):
        if section.get("id") == section_id:
            return section
    raise KeyError(f"no section {section_id!r}; have {[s.get('id') for s in page['sections']]}")
