"""The privacy report as one self-contained HTML page: findings, class measures, closeness and
the optional attack risks, as tables (no script, no external file, no network)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_text
from calmops.privacy.summary import all_clear_sentence

__all__ = ["render_html", "write_html"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;
max-width:70rem} h1{margin-bottom:.2rem} .verdict{font-size:1.2rem;font-weight:600;
padding:.6rem 1rem;border-radius:6px;color:#fff;display:inline-block;margin:.5rem 0}
table{border-collapse:collapse;margin:1rem 0} th,td{padding:.3rem .7rem;
border-bottom:1px solid #ddd;text-align:left;font-size:.9rem} th{background:#f4f6f7}
td.num{text-align:right;font-variant-numeric:tabular-nums} .muted{color:#666;font-size:.9rem}
"""
_OK, _BAD = "#1e8449", "#c0392b"


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return html.escape(", ".join(map(str, value)))
    return html.escape(str(value))


def _numeric(value: Any) -> bool:
    if isinstance(value, str):
        return value.endswith("%")
    return isinstance(value, int | float) and not isinstance(value, bool)


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value:.1%}"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_cell(v)}</td>' if _numeric(v) else f"<td>{_cell(v)}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _classes(data: dict[str, Any]) -> str:
    released, original = data["released_classes"], data["original_classes"]
    if released is None:
        return "<p class='muted'>No quasi-identifiers given: class measures not computed.</p>"
    sides = (original or {}, released)
    keys = [
        ("rows", "n_rows"),
        ("equivalence classes", "n_classes"),
        ("k-anonymity (smallest class)", "k_anonymity"),
        (f"rows at risk (class < {data['k']})", "rows_at_risk"),
        ("share at risk", "share_at_risk", True),
        ("l-diversity (distinct)", "l_diversity"),
        ("l-diversity (entropy)", "entropy_l_diversity"),
    ]
    rows = [
        [label, *(_share(side.get(key)) if share else side.get(key) for side in sides)]
        for label, key, *share in keys
    ]
    qis = ", ".join(released["quasi_identifiers"])
    sensitive = released["sensitive"] or "none"
    return (
        f"<p class='muted'>Quasi-identifiers: {html.escape(qis)}; "
        f"sensitive column: {html.escape(sensitive)}</p>"
        + _table(["measure", "original", "released"], rows)
    )


def _closeness(near: dict[str, Any]) -> str:
    rows = [
        ["exact matches", near["exact_matches"], _share(near["share_exact"])],
        [f"near duplicates (DCR ≤ {near['near_threshold']:.3g})", near["near_duplicates"],
         _share(near["share_near"])],
    ]  # fmt: skip
    stats = [
        [name, near["dcr"].get(name), near["original_nn"].get(name)]
        for name in ("min", "p05", "median", "mean")
    ]
    skipped = "".join(
        f"<li>{html.escape(c)}: {html.escape(why)}</li>" for c, why in near["skipped"].items()
    )
    sampled = near["sampled_rows"]
    return (
        _table(["measure", "rows", "share"], rows)
        + "<p class='muted'>Distance to the closest original record (standardized numbers, "
        "one-hot categories), beside the originals' own nearest-neighbour distance:</p>"
        + _table(["statistic", "released → original", "original → original"], stats)
        + f"<p class='muted'>Compared on: {_cell(near['columns'])}"
        + (f"; distances on a sample of {sampled} rows" if sampled else "")
        + "</p>"
        + (f"<p>Not compared:</p><ul>{skipped}</ul>" if skipped else "")
    )


def _attacks(section: dict[str, Any]) -> str:
    if not section.get("available"):
        return f"<p class='muted'>Not run: {html.escape(str(section.get('reason')))}.</p>"
    rows = [
        [
            name.replace("_", " "),
            section[name]["risk"],
            "–".join(f"{v:.3f}" for v in section[name]["ci"]),
            section[name]["baseline"],
        ]
        for name in ("singling_out", "linkability", "inference")
        if name in section
    ]
    rows += [[name, None, f"not run: {why}", None] for name, why in section["not_run"].items()]
    control = (
        "with a control table"
        if section["control"]
        else "without a control table (risks are upper bounds)"
    )
    return (
        f"<p class='muted'>anonymeter, {section['n_attacks']} attacks each, {control}</p>"
        + _table(["attack", "risk", "95% interval", "random-guess baseline"], rows)
    )


def render_html(data: dict[str, Any], *, title: str = "CalmOps privacy report") -> str:
    """The report (``PrivacyReport.to_dict()``) as one HTML document with inline CSS only.

    Examples
    --------
    >>> import pandas as pd
    >>> from calmops.privacy import privacy_report
    >>> frame = pd.DataFrame({"age": [20, 20, 30, 30], "dx": ["a", "b", "a", "b"]})
    >>> page = render_html(privacy_report(frame, frame, ["age"], "dx", k=2).to_dict())
    >>> page.startswith("<!DOCTYPE html>"), "http" in page, "<script" in page
    (True, False, False)
    """
    findings = data["findings"]
    colour = _BAD if findings else _OK
    verdict = (
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} need attention"
        if findings
        else all_clear_sentence(data["closeness"])
    )
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    summary = (
        f"{data['n_original']} original rows, {data['n_released']} released rows, k={data['k']}"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_CSS}</style></head><body>
<h1>{html.escape(title)}</h1><p class="muted">{html.escape(summary)}</p>
<div class="verdict" style="background:{colour}">{html.escape(verdict)}</div>
{f"<ul>{items}</ul>" if items else ""}
<h2>Equivalence classes</h2>{_classes(data)}
<h2>Closeness to the original</h2>{_closeness(data["closeness"])}
<h2>Attacks</h2>{_attacks(data["attacks"])}
</body></html>
"""


def write_html(data: dict[str, Any], path: str | Path, **kwargs: Any) -> Path:
    """Write :func:`render_html` of a report's dict to ``path`` atomically; return the path."""
    target = Path(path)
    atomic_write_text(target, render_html(data, **kwargs))
    return target
