"""The overview: every pipeline of the workspace, those needing attention first."""

from __future__ import annotations

from typing import Any

from calmops.pipeline.attention import attention_in
from calmops.store import PipelineRecord
from calmops.web.figures import sparkline_points
from calmops.web.format import cell_time, metric_label, number
from calmops.web.reader import Reader
from calmops.web.sections import badge, kpi, kpis, link, notice, table
from calmops.web.views.common import primary_metric, run_brief, run_metric
from calmops.web.views.verdicts import run_drift

__all__ = ["PHONE_COLUMNS", "SPARK_RUNS", "build_overview"]

#: runs of the primary-metric sparkline
SPARK_RUNS = 30
#: the columns a phone shows: what needs a look, and why
PHONE_COLUMNS = ["pipeline", "decision", "drift", "primary metric", "attention"]


def build_overview(reader: Reader, base: str = "") -> dict[str, Any]:
    """The overview dict: ``pipelines`` (one dict each) and the page's ``sections``."""
    items = [_pipeline(reader, record, base) for record in reader.pipelines()]
    items.sort(key=lambda p: (-p["severity"], p["name"]))
    needing = sum(bool(p["attention"]) for p in items)
    sections: list[dict[str, Any]] = [
        kpis(
            "overview-kpis",
            [
                kpi("pipelines", len(items)),
                kpi("need attention", needing, tone="bad" if needing else "ok"),
                kpi(
                    "drifting now",
                    sum(
                        (p["drift_state"] or {}).get("state") in ("drift", "features")
                        for p in items
                    ),
                    "the dataset rule fired, or features drifted below it",
                ),
                kpi("breakers open", sum(p["breaker"] != "closed" for p in items)),
            ],
        )
    ]
    if items:
        sections.append(_table(items))
    else:
        sections.append(
            notice(
                "overview-empty",
                "No pipelines yet: create one with `calmops create <name> --data-dir <folder> "
                "--target <column>`, then `calmops run <name> --once`.",
            )
        )
    token = "|".join(p["token"] for p in items)
    return {"title": "Pipelines", "pipelines": items, "sections": sections, "token": token}


def _pipeline(reader: Reader, record: PipelineRecord, base: str) -> dict[str, Any]:
    name = record.name
    runs = reader.runs(name, limit=SPARK_RUNS)
    aliases = reader.aliases(name)
    breaker = reader.ws.store.state.breaker(name)
    metric = primary_metric(record.spec, runs)
    state = reader.state(name)
    last = runs[0] if runs else None
    values = [run_metric(r, metric) for r in reversed(runs)]
    latest_value = next((v for v in reversed(values) if v is not None), None)
    if latest_value is None and metric:  # only trained so far: the champion's holdout score
        held = ((r.summary.get("metrics") or {}).get(f"holdout_{metric}") for r in runs)
        latest_value = next((v for v in held if v is not None), None)
        metric = f"holdout_{metric}" if latest_value is not None else metric
    drift = None
    if last is not None and last.status == "succeeded":
        drift = bool(last.summary.get("drift_detected"))
    drift_state = run_drift(last, reader, name)
    found: list[tuple[int, str]] = []  # (weight, what): the heaviest pipelines come first
    if last is not None and last.status == "failed":
        found.append((3, "last run failed"))
    if breaker.state != "closed":
        found.append((3, f"breaker {breaker.state.replace('_', '-')}"))
    if state == "paused":
        found.append((2, "paused"))
    if state == "failed":
        found.append((3, "monitor died"))
    found.extend(
        (3, f"needs attention: {text}")
        for text in attention_in(runs)  # the runs read above
    )
    if drift:
        found.append((1, "data drift in the last run"))
    elif drift_state is not None and drift_state.state == "features":
        found.append((1, f"{drift_state.text} in the last run ({drift_state.rule}: not met)"))
    if runs and "champion" not in aliases and not record.spec.get("prediction_only"):
        found.append((1, "no champion"))
    attention = [text for _, text in sorted(found, key=lambda f: -f[0])]
    return {
        "name": name,
        "url": f"{base}/pipelines/{name}",
        "kind": record.kind,
        "trigger": record.trigger,
        "state": state,
        "description": record.spec.get("description") or "",
        "last_run": run_brief(last),
        "drift": drift,
        "drift_state": None if drift_state is None else drift_state.to_dict(),
        "champion": aliases.get("champion"),
        "metric": metric,
        "metric_value": latest_value,
        "spark": values,
        "breaker": breaker.state,
        "attention": attention,
        "severity": sum(weight for weight, _ in found),
        "token": f"{name}:{last.id if last else ''}:{last.status if last else ''}:"
        f"{aliases.get('champion')}:{breaker.state}:{state}",
    }


def _drift_cell(state: dict[str, Any] | None) -> Any:
    """Red for dataset drift, amber (with the dataset rule) for drifted features, else green."""
    if state is None:
        return "—"
    if state["state"] == "features":
        return {"badge": f"{state['text']} · {state['short_rule']}", "tone": state["tone"]}
    return {"badge": state["text"], "tone": state["tone"]}


def _table(items: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for p in items:
        last = p["last_run"]
        rows.append(
            [
                link(p["url"], p["name"]),
                p["kind"],
                p["trigger"],
                badge(p["state"]),
                cell_time(last["at"]) if last else "—",
                badge(last["decision"] or last["status"]) if last else "—",
                _drift_cell(p["drift_state"]),
                f"v{p['champion']}" if p["champion"] else "—",
                {
                    "spark": sparkline_points(p["spark"]),
                    "text": f"{metric_label(p['metric']) if p['metric'] else ''} "
                    f"{number(p['metric_value'])}".strip(),
                },
                badge(p["breaker"]),
                {"badge": "; ".join(p["attention"]), "tone": "bad"} if p["attention"] else "",
            ]
        )
    columns = [
        "pipeline",
        "kind",
        "trigger",
        "state",
        "last run",
        "decision",
        "drift",
        "champion",
        "primary metric",
        "breaker",
        "attention",
    ]
    return table("overview-pipelines", "Pipelines", columns, rows, phone=PHONE_COLUMNS)
