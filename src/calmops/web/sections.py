"""The building blocks every tab is made of, as plain dicts.

A tab is ``{"tab", "title", "sections": [...]}``; each section has an ``id`` (what tests and
the page's script look for) and a ``kind``:

=========  ==================================================================================
kind       fields
=========  ==================================================================================
kpis       ``items``: [{label, value, hint, tone}]
table      ``columns`` [str], ``rows`` [[cell]], ``note``; a cell is a string or a dict:
           ``{"time"}``, ``{"badge", "tone"}``, ``{"link", "text"}``, ``{"spark"}``,
           ``{"action", "label", ...}`` (a button)
figure     ``figure`` {data, layout} for plotly.js, or ``choices`` {label: figure}
notice     ``text``, ``tone`` (empty states say what to do)
logs       ``lines`` [{at, level, message}], ``levels``, ``offset``
=========  ==================================================================================

Examples
--------
>>> table("t", "Runs", ["a", "b"], [[1, "x"]])["rows"]
[['1', 'x']]
>>> badge("failed")
{'badge': 'failed', 'tone': 'bad'}
"""

from __future__ import annotations

from typing import Any

from calmops.web.format import number, tone_of

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
        "label": label,
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
) -> dict[str, Any]:
    cells = [[c if isinstance(c, dict | str) else number(c) for c in row] for row in rows]
    return {
        "id": section_id,
        "kind": "table",
        "title": title,
        "columns": columns,
        "rows": cells,
        "note": note,
    }


def figure(
    section_id: str,
    title: str,
    fig: dict[str, Any] | None = None,
    *,
    choices: dict[str, dict[str, Any]] | None = None,
    note: str = "",
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": section_id, "kind": "figure", "title": title, "note": note}
    if choices is not None:
        out["choices"] = choices
        out["figure"] = next(iter(choices.values())) if choices else None
    else:
        out["figure"] = fig
    return out


def notice(section_id: str, text: str, tone: str = "info") -> dict[str, Any]:
    return {"id": section_id, "kind": "notice", "text": text, "tone": tone}


def badge(state: str | None, text: str | None = None) -> dict[str, str] | str:
    if not state:
        return "—"
    return {"badge": text or state, "tone": tone_of(state)}


def link(href: str, text: str) -> dict[str, str]:
    return {"link": href, "text": text}


def find(page: dict[str, Any], section_id: str) -> dict[str, Any]:
    """The section ``section_id`` of a tab (KeyError when absent)."""
    for section in page.get("sections", []):
        if section.get("id") == section_id:
            return section
    raise KeyError(f"no section {section_id!r}; have {[s.get('id') for s in page['sections']]}")
