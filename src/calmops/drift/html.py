"""A self-contained HTML drift report: verdict, statistics table, quality findings and one
distribution plot per column. plotly.js is inlined from the installed ``plotly`` package
(never a CDN), so the file opens offline; the data are embedded as JSON.

Per-column plots need the report to carry distributions: ``compare(..., distributions=True)``.
:func:`render_summary` is the light version a notebook shows (``DriftReport._repr_html_``):
the verdict and the statistics table, from the report's JSON form, without plotly.js.

The renderers take a :class:`~calmops.drift.DriftReport` (or its ``to_dict()``) and do not
import its module, which imports them for ``save_html`` and ``_repr_html_``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from calmops.atomic import atomic_write_text
from calmops.drift.base import finite_or_none

__all__ = [
    "FRAGMENT_CSS",
    "REPORT_CSS",
    "badge",
    "feature_table",
    "format_number",
    "render_html",
    "render_summary",
    "write_html",
]

_COLOURS = {"drift": "#c0392b", "warning": "#d68910", "no_drift": "#1e8449"}
REPORT_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222}
h1{margin-bottom:.2rem} .verdict{font-size:1.3rem;font-weight:600;padding:.6rem 1rem;
border-radius:6px;color:#fff;display:inline-block} table{border-collapse:collapse;margin:1rem 0}
th,td{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left;font-size:.9rem}
th{background:#f4f6f7} td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{color:#fff;border-radius:4px;padding:.1rem .4rem;font-size:.8rem}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1rem}
.muted{color:#666;font-size:.9rem}
"""
# the same look inside a notebook cell, scoped so it does not restyle the page around it
FRAGMENT_CSS = """
.calmops-report{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222}
.calmops-report .verdict{font-weight:600;padding:.4rem .8rem;border-radius:6px;color:#fff;
display:inline-block} .calmops-report table{border-collapse:collapse;margin:.6rem 0}
.calmops-report th,.calmops-report td{padding:.25rem .6rem;border-bottom:1px solid #ddd;
text-align:left;font-size:.85rem} .calmops-report th{background:#f4f6f7}
.calmops-report td.num{text-align:right;font-variant-numeric:tabular-nums}
.calmops-report .badge{color:#fff;border-radius:4px;padding:.1rem .4rem;font-size:.8rem}
.calmops-report .muted{color:#666;font-size:.85rem}
"""


def format_number(value: float | None, digits: int = 4) -> str:
    """``value`` with ``digits`` decimals (tiny ones in scientific notation); "—" if missing.

    >>> format_number(0.123456), format_number(None), format_number(1e-7)
    ('0.1235', '—', '1.00e-07')
    """
    value = finite_or_none(value)
    if value is None:
        return "—"
    if value != 0 and abs(value) < 10 ** (-digits):
        return f"{value:.2e}"
    return f"{value:.{digits}f}"


def badge(verdict: str, text: str | None = None) -> str:
    """A coloured label for ``verdict`` (drift, warning, no_drift), reading ``text``.

    >>> badge("drift", "retrain")
    '<span class="badge" style="background:#c0392b">retrain</span>'
    """
    colour = _COLOURS.get(verdict, "#555")
    shown = html.escape(verdict if text is None else text)
    return f'<span class="badge" style="background:{colour}">{shown}</span>'


def _figure(name: str, shape: dict[str, Any]) -> dict[str, Any]:
    if shape["type"] == "histogram":
        edges = shape["edges"]
        x = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
        width = edges[1] - edges[0]
    else:
        x, width = shape["labels"], None
    traces = [
        {"type": "bar", "name": side, "x": x, "y": shape[side], "opacity": 0.6, "width": width}
        for side in ("reference", "current")
    ]
    layout = {
        "title": {"text": name, "font": {"size": 14}},
        "barmode": "overlay" if shape["type"] == "histogram" else "group",
        "height": 300,
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "yaxis": {"title": {"text": "share"}},
        "legend": {"orientation": "h"},
    }
    return {"data": traces, "layout": layout}


def render_html(
    report: Any,
    *,
    title: str = "CalmOps drift report",
    label: dict[str, Any] | None = None,
) -> str:
    """The :class:`~calmops.drift.DriftReport` as one HTML document (a few MB: plotly.js is
    inlined).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from calmops.drift import compare
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(size=300)})
    >>> page = render_html(compare(ref, ref, distributions=True))
    >>> page.startswith("<!DOCTYPE html>"), "<script src=" in page, "Plotly.newPlot" in page
    (True, False, True)

    ``label``: the JSON form of the label column's drift (``calmops drift --target``), shown
    in its own section with the class shares before and after.
    """
    from plotly.offline import get_plotlyjs

    verdict = "drift" if report.drift_detected else "no_drift"
    rows = _column_rows(report)
    findings, skipped, multi = _findings(report), _skipped(report), _multivariate(report)
    figures = {
        f"plot-{i}": _figure(name, f.distribution)
        for i, (name, f) in enumerate(report.features.items())
        if f.distribution is not None
    }
    divs = "".join(f'<div id="{key}"></div>' for key in figures)
    payload = json.dumps(figures).replace("</", "<\\/")
    settings = _settings(report)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{REPORT_CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{html.escape(title)}</h1><p class="muted">{html.escape(settings)}</p>
<div class="verdict" style="background:{_COLOURS[verdict]}">{html.escape(report.reason)}</div>
<h2>Columns</h2>
<table><thead><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th>
<th>p-value</th><th>threshold</th><th>effect sizes</th><th>verdict</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{_label_section(label)}
{f"<h2>Multivariate</h2><ul>{multi}</ul>" if multi else ""}
<h2>Data quality</h2>{f"<ul>{findings}</ul>" if findings else "<p>No findings.</p>"}
{f"<h2>Not tested</h2><ul>{skipped}</ul>" if skipped else ""}
<h2>Distributions</h2><div class="plots">{divs}</div>
<script>
const figures = {payload};
for (const [id, fig] of Object.entries(figures)) {{
  Plotly.newPlot(id, fig.data, fig.layout, {{displayModeBar: false, responsive: true}});
}}
</script></body></html>
"""


def _column_rows(report: Any) -> list[str]:
    """One table row per tested column: kind, test, numbers, effect sizes, verdict."""
    rows = []
    for name, f in report.features.items():
        effects = ", ".join(f"{k} {format_number(v, 3)}" for k, v in f.effect_sizes.items())
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{f.kind}</td><td>{f.test}</td>"
            f'<td class="num">{format_number(f.statistic)}</td>'
            f'<td class="num">{format_number(f.p_value)}</td>'
            f'<td class="num">{format_number(f.threshold, 3)}</td><td>{html.escape(effects)}</td>'
            f"<td>{badge(f.verdict.value)}</td></tr>"
        )
    return rows


def _findings(report: Any) -> str:
    """The data-quality findings as list items."""
    return "".join(
        f"<li><b>{html.escape(q.severity)}</b> {html.escape(q.message)}</li>"
        for q in report.quality
    )


def _skipped(report: Any) -> str:
    """The columns not tested, and why, as list items."""
    return "".join(
        f"<li>{html.escape(name)}: {html.escape(why)}</li>" for name, why in report.skipped.items()
    )


def _multivariate(report: Any) -> str:
    """The multivariate tests as list items."""
    return "".join(
        f"<li>{m.method}: statistic {format_number(m.statistic)}, "
        f"p-value {format_number(m.p_value)} "
        f"{badge(m.verdict.value)}</li>"
        for m in report.multivariate.values()
    )


def _settings(report: Any) -> str:
    """The line under the title: the test settings and the sample sizes."""
    return (
        f"alpha {report.alpha:g}, correction {report.correction}, "
        f"dataset rule {report.dataset_rule}"
        f"{f' (share {report.drift_share:g})' if report.dataset_rule == 'share' else ''}; "
        f"{report.n_reference} reference rows, "
        f"{report.n_current} current rows"
    )


def _label_section(label: dict[str, Any] | None) -> str:
    """The label drift: its verdict sentence, each test, and the class shares."""
    if label is None:
        return ""
    verdict = "drift" if label["drift"] else "no_drift"
    tests = "".join(
        f"<tr><td>{html.escape(t['column'])}</td><td>{t['test']}</td>"
        f'<td class="num">{format_number(t["statistic"])}</td>'
        f'<td class="num">{format_number(t["p_value"])}</td>'
        f"<td>{html.escape(t['effect'] or '')} {format_number(t['effect_size'], 3)}</td>"
        f"<td>{badge(verdict if t['drift'] else 'no_drift')}</td></tr>"
        for t in label["tests"]
    )
    shares = "".join(
        f'<tr><td>{html.escape(c)}</td><td class="num">{format_number(v["before"], 3)}</td>'
        f'<td class="num">{format_number(v["after"], 3)}</td></tr>'
        for c, v in label["shares"].items()
    )
    share_table = (
        "<table><thead><tr><th>class</th><th>share in reference</th>"
        f"<th>share in current</th></tr></thead><tbody>{shares}</tbody></table>"
        if shares
        else ""
    )
    return (
        f"<h2>Label '{html.escape(str(label['target']))}' ({label['task']})</h2>"
        f"<p>{badge(verdict)} {html.escape(label['summary'])}</p>"
        "<table><thead><tr><th>column</th><th>test</th><th>statistic</th><th>p-value</th>"
        f"<th>effect size</th><th>verdict</th></tr></thead><tbody>{tests}</tbody></table>"
        f"{share_table}"
    )


def write_html(report: Any, path: str | Path, **kwargs: Any) -> Path:
    """Write :func:`render_html` of a DriftReport to ``path`` (UTF-8, atomically); returns
    the path."""
    target = Path(path)
    atomic_write_text(target, render_html(report, **kwargs))
    return target


def feature_table(features: dict[str, dict[str, Any]], limit: int | None = None) -> str:
    """An HTML table of per-column results in their JSON form (``DriftReport.to_dict()
    ["features"]``), drifted columns first; ``limit`` keeps that many rows.

    >>> page = feature_table({"x": {"kind": "numeric", "test": "ks", "statistic": 0.3,
    ...     "p_value": 0.001, "threshold": 0.05, "verdict": "drift", "drift": True}})
    >>> "<td>x</td>" in page, "drift</span>" in page
    (True, True)
    """
    ordered = sorted(features.items(), key=lambda kv: (not kv[1].get("drift"), kv[0]))
    shown = ordered if limit is None else ordered[:limit]
    rows = "".join(
        f"<tr><td>{html.escape(str(name))}</td><td>{html.escape(str(f.get('kind', '')))}</td>"
        f"<td>{html.escape(str(f.get('test', '')))}</td>"
        f'<td class="num">{format_number(f.get("statistic"))}</td>'
        f'<td class="num">{format_number(f.get("p_value"))}</td>'
        f'<td class="num">{format_number(f.get("threshold"), 3)}</td>'
        f"<td>{_effect_cell(f.get('effect'))}</td>"
        f"<td>{badge(str(f.get('verdict', '')))}</td></tr>"
        for name, f in shown
    )
    more = len(ordered) - len(shown)
    tail = f'<p class="muted">… and {more} more columns</p>' if more > 0 else ""
    return (
        "<table><thead><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th>"
        "<th>p-value</th><th>threshold</th><th>effect</th><th>verdict</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{tail}"
    )


def _effect_cell(effect: dict[str, Any] | None) -> str:
    if not effect or not effect.get("name"):
        return ""
    return html.escape(f"{effect['name']} {format_number(effect.get('value'), 3)}")


def render_summary(data: dict[str, Any], *, title: str = "Drift report") -> str:
    """A DriftReport's JSON form (``to_dict()``) as an HTML fragment: verdict, settings,
    the statistics table and the quality findings; no scripts, for notebooks.

    >>> import numpy as np, pandas as pd
    >>> from calmops.drift import compare
    >>> ref = pd.DataFrame({"x": np.random.default_rng(0).normal(size=300)})
    >>> fragment = render_summary(compare(ref, ref).to_dict())
    >>> fragment.startswith("<div"), "<script" in fragment, "no_drift" in fragment
    (True, False, True)
    """
    verdict = "drift" if data.get("drift_detected") else "no_drift"
    settings = data.get("settings") or {}
    line = (
        f"alpha {settings.get('alpha', 0):g}, correction {settings.get('correction', '')}, "
        f"{data.get('n_drifted', 0)} of {data.get('n_tested', 0)} columns drifted; "
        f"{data.get('n_reference', 0):,} reference rows, {data.get('n_current', 0):,} current rows"
    )
    findings = "".join(
        f"<li><b>{html.escape(str(q.get('severity', '')))}</b> "
        f"{html.escape(str(q.get('message', '')))}</li>"
        for q in data.get("quality") or ()
    )
    return (
        f'<div class="calmops-report"><style>{FRAGMENT_CSS}</style>'
        f'<h3>{html.escape(title)}</h3><p class="muted">{html.escape(line)}</p>'
        f'<div class="verdict" style="background:{_COLOURS[verdict]}">'
        f"{html.escape(str(data.get('reason', '')))}</div>"
        f"{feature_table(data.get('features') or {})}"
        f"{f'<h4>Data quality</h4><ul>{findings}</ul>' if findings else ''}</div>"
    )
