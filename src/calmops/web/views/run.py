"""One run, explained: its decision and why, the signals, challengers, notes and timings.

The page of a run in the Runs tab; its JSON twin is the run's full report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calmops.web import figures
from calmops.web.format import cell_time, clock, metric_label, number, words
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, link, notice, tab, table
from calmops.web.views.common import file_name, redact
from calmops.web.views.verdicts import state_of_report

if TYPE_CHECKING:
    from pathlib import Path

    from calmops.pipeline.report import RunReport

__all__ = ["build_run"]


def build_run(reader: Reader, name: str, run_id: str, *, base: str = "") -> dict[str, Any]:
    """The page dict of run ``run_id`` of pipeline ``name`` (RunNotFoundError: a 404)."""
    reader.pipeline(name)
    run = reader.ws.store.runs.get(name, run_id)
    report = reader.report(name, run)
    home = reader.ws.home
    before, after = report.champion_before, report.champion_after
    decided = report.decision.reason if report.decision else None
    reason = decided or run.error or run.summary.get("reason") or ""
    sections: list[dict[str, Any]] = [
        kpis(
            "run-kpis",
            [
                kpi("status", run.status, tone="bad" if run.status == "failed" else "ok"),
                kpi("decision", run.decision or "—"),
                kpi("batch", file_name(run.source)),
                kpi("rows", report.rows),
                kpi("champion", _move(before, after)),
            ],
        ),
        notice(
            "run-reason",
            words(redact(reason, home)) or "No reason recorded.",
            "bad" if run.status == "failed" else "info",
        ),
    ]
    details = _details(report, home)
    timings = [s for s in details if s["id"] == "run-timings"]
    sections += [s for s in details if s["id"] != "run-timings"]
    sections += _drift_and_blocks(report) + timings
    sections.append(
        table(
            "run-facts",
            "Facts",
            ["", ""],
            [
                ["run", run.id],
                ["started", cell_time(run.started_at)],
                ["finished", cell_time(run.finished_at)],
                ["full report (JSON)", link(f"{base}/api/pipelines/{name}/runs/{run.id}", "open")],
                *[
                    [
                        f"this batch on the {t} tab",
                        link(f"{base}/pipelines/{name}?tab={t}&run={run.id}", "open"),
                    ]
                    for t in _tabs(reader, name)
                ],
            ],
        )
    )
    title = f"{file_name(run.source)} · {clock(run.started_at)}"
    return tab("run", title, sections, run_id=run.id, file=file_name(run.source))


def _signal_badge(name: str, fired: bool, report: RunReport) -> Any:
    """Fired red; a quiet data signal with drifted features amber (never green)."""
    if fired:
        return badge("drift", "fired")
    state = state_of_report(report.drift) if name == "data" else None
    if state is not None and state.state == "features":
        return {"badge": f"quiet: {state.text} · {state.short_rule}", "tone": "warn"}
    return badge("no_drift", "quiet")


def _tabs(reader: Reader, name: str) -> list[str]:
    """The tabs that show any run (``?run=``) for this pipeline's kind."""
    kind = reader.pipeline(name).kind
    return ["data", "drift", *(["blocks"] if kind in ("block", "ipip") else [])]


def _drift_and_blocks(report: RunReport) -> list[dict[str, Any]]:
    """The run's drift per feature and its per-block results (each only when present)."""
    from calmops.web.views.blocks import block_entries, blocks_table, metric_order
    from calmops.web.views.drift import features_table

    sections = []
    drift = report.drift or {}
    if drift.get("features"):
        found = features_table(drift, "Drift per feature (drifted first)")
        found["id"] = "run-drift"
        if drift.get("reason"):
            found["note"] = (drift["reason"] + " " + found["note"]).strip()
        sections.append(found)
    entries = block_entries(report)
    if entries:
        found = blocks_table(entries, metric_order(entries), "Blocks of this batch")
        found["id"] = "run-blocks"
        sections.append(found)
    return sections


def _details(report: RunReport, home: Path) -> list[dict[str, Any]]:
    """Sections for what the run's report holds: signals, metrics, challengers, notes,
    timings (each only when present)."""
    sections: list[dict[str, Any]] = []
    signals = report.signals
    if signals:
        sections.append(
            table(
                "run-signals",
                "Signals",
                ["signal", "fired", "what it saw"],
                [[n, _signal_badge(n, s.fired, report), s.summary]
                 for n, s in signals.items()],
            )
        )  # fmt: skip
    metrics = report.champion_metrics
    if metrics:
        sections.append(
            table(
                "run-metrics", "The champion on this batch", ["metric", "value"],
                [[metric_label(k), number(v)] for k, v in metrics.items()],
            )
        )  # fmt: skip
    sections += _estimation(report)
    challengers = report.challengers
    if challengers:
        sections.append(
            table(
                "run-challengers",
                "Challengers",
                ["version", "strategy", "trained on", "rows", "verdict", "why"],
                [[f"v{c.version}", c.strategy or "—", c.trained_on or "—", number(c.rows),
                  badge("promoted" if c.promoted else "failed",
                        "promoted" if c.promoted else "rejected"),
                  words(c.reason)] for c in challengers],
            )
        )  # fmt: skip
    notes = report.notes
    if notes:
        sections.append(table("run-notes", "Notes", ["note"], [[redact(n, home)] for n in notes]))
    timings = report.timings
    if timings:
        steps = list(timings)
        fig = figures.bars([{"name": "seconds", "x": steps, "y": [timings[s] for s in steps]}],
                           "seconds", x_title="step")  # fmt: skip
        sections.append(figure("run-timings", "Time of each step", figures.categorical_x(fig)))
    return sections


def _estimation(report: RunReport) -> list[dict[str, Any]]:
    """The label-free estimate with its interval and the realized value beside it (from the
    batch's labels, or from labels joined later), or the late realized values alone."""
    section, late = report.estimation, report.realized
    came = ""
    if late is not None:
        came = (
            f"Realized from {file_name(late.labels_file)} ({late.matched:,} of "
            f"{late.logged:,} rows labelled, joined {late.at[:16].replace('T', ' ')} UTC)."
        )
    if section is None:
        if late is None:
            return []
        rows = [[metric_label(k), number(v)] for k, v in late.metrics.items()]
        return [table("run-realized", "Realized performance", ["metric", "realized"], rows, came)]
    late_metrics = {} if late is None else late.metrics
    rows = []
    for name, value in section.metrics.items():
        real = value.get("realized")
        real = late_metrics.get(name) if real is None else real
        interval = f"[{number(value.get('low'))}, {number(value.get('high'))}]"
        rows.append([metric_label(name), number(value.get("estimated")), interval, number(real)])
    trust = "trusted" if section.trusted else "not trusted"
    note = f"{section.method}, {trust}, {section.confidence:.0%} intervals. " + came
    if section.caveats:
        note += " Caveats: " + "; ".join(section.caveats)
    return [
        table(
            "run-estimation",
            "Estimated performance (without labels) and realized",
            ["metric", "estimated", "interval", "realized"],
            rows,
            note.strip(),
        )
    ]


def _move(before: int | None, after: int | None) -> str:
    if before == after:
        return f"v{after}" if after else "—"
    return f"{'v' + str(before) if before else 'none'} → v{after}"
