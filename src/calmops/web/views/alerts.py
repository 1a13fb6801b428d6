"""The alerts page: every alert of every pipeline's recent runs, newest first.

Alerts (:mod:`calmops.alerts`) are read from the runs in the store: failed runs,
circuit-breaker openings, signals that fired, champions no better than chance and ``alert``
decisions. The page filters them by pipeline and kind and shows them a page at a time, with
the count of all that matched.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from calmops.alerts import ALERT_KINDS, Alert, alerts_of_run
from calmops.errors import SpecError
from calmops.store import RunRecord
from calmops.web.format import cell_time, when, words
from calmops.web.reader import Reader
from calmops.web.sections import kpi, kpis, link, notice, table
from calmops.web.views.common import file_name, redact

__all__ = ["PAGE_SIZE", "SCAN_RUNS", "build_alerts"]

#: alerts on one page
PAGE_SIZE = 50
#: the newest runs of each pipeline the page reads alerts from
SCAN_RUNS = 500

TONES = {"failed": "bad", "breaker": "bad", "alert": "bad", "chance": "bad", "signal": "warn"}


def build_alerts(
    reader: Reader,
    base: str = "",
    *,
    pipeline: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> dict[str, Any]:
    """The alerts dict: ``alerts`` (this page's, newest first), ``total`` (all that matched),
    the ``filters`` and the page's ``sections``.

    Raises PipelineNotFoundError for an unknown ``pipeline`` and SpecError for an unknown
    ``kind``.
    """
    if kind and kind not in ALERT_KINDS:
        raise SpecError(f"no alert kind {kind!r}; choose from {', '.join(ALERT_KINDS)}")
    names = [r.name for r in reader.pipelines()]
    chosen = [reader.pipeline(pipeline).name] if pipeline else names
    found: list[tuple[Alert, RunRecord]] = []
    for name in chosen:
        for run in reader.runs(name, limit=SCAN_RUNS):
            found += [(a, run) for a in alerts_of_run(run) if not kind or a.kind == kind]
    found.sort(key=lambda pair: when(pair[0].at) or "", reverse=True)  # stable: a run's order
    shown = found[offset : offset + limit]
    home = reader.ws.home
    items = [_item(reader, alert, run, base, home) for alert, run in shown]
    counts = {k: sum(a.kind == k for a, _ in found) for k in ALERT_KINDS}
    filters = {"pipeline": pipeline or "", "kind": kind or "", "pipelines": names,
               "kinds": [{"value": k, "label": v} for k, v in ALERT_KINDS.items()]}  # fmt: skip
    pages = _pages(base, pipeline, kind, offset, limit, len(found))
    return {
        "title": "Alerts",
        "alerts": items,
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "counts": counts,
        "filters": filters,
        "pages": pages,
        "sections": _sections(items, counts, len(found), offset, kind),
    }


def _item(reader: Reader, alert: Alert, run: RunRecord, base: str, home: Any) -> dict[str, Any]:
    detail = alert.detail
    if alert.kind == "signal":  # the signal's sentence is in the run's report
        signals = reader.report(alert.pipeline, run).signals
        name = alert.key.rsplit("/", 1)[-1]
        detail = signals[name].summary if name in signals else detail
    return {
        "key": alert.key,
        "pipeline": alert.pipeline,
        "run_id": alert.run_id,
        "kind": alert.kind,
        "kind_label": ALERT_KINDS[alert.kind],
        "title": alert.title,
        "detail": _shown(detail, home, alert.source),
        "at": when(alert.at),
        "file": file_name(alert.source),
        "url": f"{base}/pipelines/{alert.pipeline}/runs/{alert.run_id}",
        "pipeline_url": f"{base}/pipelines/{alert.pipeline}",
    }


def _shown(text: str, home: Any, source: str | None) -> str:
    """``text`` without server folders: the workspace's, and the batch file's own.

    >>> _shown("/srv/in/bad.csv: empty", "/srv/ws", "/srv/in/bad.csv")
    'bad.csv: empty'
    """
    folder = str(PurePath(source).parent) if source else None
    text = redact(text, home)
    return text.replace(folder + "/", "") if folder and folder not in ("", ".") else text


def _sections(items, counts, total, offset, kind) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = [
        kpis(
            "alerts-kpis",
            [kpi("alerts", total, tone="bad" if total else "ok")]
            + [
                kpi(label, counts[k], tone=TONES[k] if counts[k] else "")
                for k, label in ALERT_KINDS.items()
            ],
        )
    ]
    if not items:
        what = f"no {ALERT_KINDS[kind]} alerts" if kind else "no alerts"
        sections.append(
            notice(
                "alerts-empty",
                f"{what.capitalize()} in the newest {SCAN_RUNS:,} runs of each pipeline: "
                "no run failed, no signal fired and no breaker opened.",
                tone="ok",
            )
        )
        return sections
    rows = [
        [
            cell_time(item["at"]),
            link(item["pipeline_url"], item["pipeline"]),
            {"badge": item["kind_label"], "tone": TONES[item["kind"]]},
            item["title"],
            words(item["detail"]) or "—",
            link(item["url"], item["file"] if item["file"] != "—" else item["run_id"]),
        ]
        for item in items
    ]
    note = (
        f"Showing {offset + 1:,}–{offset + len(items):,} of {total:,}, newest first "
        f"(from the newest {SCAN_RUNS:,} runs of each pipeline)."
    )
    sections.append(
        table(
            "alerts-table",
            "Alerts",
            ["time", "pipeline", "kind", "alert", "detail", "run"],
            rows,
            note=note,
        )  # fmt: skip
    )
    return sections


def _pages(base, pipeline, kind, offset, limit, total) -> dict[str, str | None]:
    """Links to the previous and next pages of the same filter (None at either end)."""

    def url(start: int) -> str:
        query = {k: v for k, v in (("pipeline", pipeline), ("kind", kind)) if v}
        if start:
            query["offset"] = str(start)
        return f"{base}/alerts" + (f"?{urlencode(query)}" if query else "")

    previous = url(max(offset - limit, 0)) if offset > 0 else None
    following = url(offset + limit) if offset + limit < total else None
    return {"previous": previous, "next": following}
