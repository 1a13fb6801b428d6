"""The Training tab: every retraining with its strategy, data window, sizes and fit time."""

from __future__ import annotations

from typing import Any

from calmops.web import figures
from calmops.web.format import cell_time, clip, number, words
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import file_name, primary_metric

__all__ = ["build_training"]

MAX_TRAININGS = 100


def build_training(reader: Reader, name: str, *, base: str = "", **_: Any) -> dict[str, Any]:
    """The Training tab of pipeline ``name`` (its newest 100 trainings)."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=1000)
    if record.kind == "ipip":
        policy = _ipip_policy(record.spec, _latest_ipip(reader, name, runs))
    else:
        policy = _policy(record.spec)
    trained = [r for r in runs if r.status == "succeeded" and r.decision in ("train", "retrain")]
    trained = list(reversed(trained[:MAX_TRAININGS]))
    if not trained:
        text = "No training yet: the first labelled batch trains the first model."
        return tab("training", "Training", [policy, notice("training-empty", text)])
    metric = primary_metric(record.spec, runs)
    rows, xs, sizes, fit_times = _trainings(reader, name, trained, metric)
    sections = [
        policy,
        kpis(
            "training-kpis",
            [
                kpi("trainings", len(trained)),
                kpi("challengers", len(xs)),
                kpi("promoted", sum(r[11] == badge("promoted", "promoted") for r in rows)),
            ],
        ),
        figure(
            "training-sizes",
            "Training rows and fit time of each challenger",
            _sizes_figure(xs, sizes, fit_times),
        ),
        table(
            "training-table",
            "Trainings (newest last)",
            [
                "started",
                "batch",
                "decision",
                "version",
                "strategy",
                "data window",
                "rows",
                "fit s",
                f"prequential {metric}" if record.kind == "ipip" else f"holdout {metric}",
                f"champion {metric}",
                "improvement",
                "verdict",
                "why",
            ],  # fmt: skip
            rows,
            note="Fit time is the run's learn step: training, fallback and evaluation.",
        ),
    ]
    return tab("training", "Training", sections)


def _policy(spec: dict[str, Any]) -> dict[str, Any]:
    """The retraining policy of the spec, as key figures."""
    retrain = spec.get("retrain") or {}
    return kpis(
        "training-policy",
        [
            kpi("strategy", str(retrain.get("strategy") or "—")),
            kpi("fallback", str(retrain.get("fallback") or "none")),
            kpi("window", _window(retrain)),
            kpi("retained rows at most", retrain.get("max_retained_rows")),
            kpi("holdout share", (spec.get("promotion") or {}).get("holdout")),
        ],
    )


def _latest_ipip(reader: Reader, name: str, runs: list, look: int = 20) -> dict[str, Any]:
    """``p`` and ``b`` of the newest IPIP block recorded in the latest ``look`` runs."""
    for run in runs[:look]:
        report = reader.report(name, run) if run.status == "succeeded" else None
        if report is not None and report.ipip is not None:
            for record in reversed(report.ipip.blocks):
                if record.p is not None:
                    return {"p": record.p, "b": record.b}
    return {}


def _ipip_policy(spec: dict[str, Any], latest: dict[str, Any]) -> dict[str, Any]:
    """What an IPIP pipeline learns from: every labelled block, prequentially; the retrain
    strategy, window and holdout share of other kinds do not apply."""
    ipip = spec.get("ipip") or {}

    def chosen(key: str) -> tuple[Any, str]:
        if ipip.get(key):
            return ipip[key], "set in the spec"
        return latest.get(key, "—"), "derived from the minority count (latest block)"

    return kpis(
        "training-policy",
        [
            kpi("strategy", "IPIP", "every labelled block is scored, then learned"),
            kpi("ensembles kept (p)", *chosen("p")),
            kpi("largest ensemble (b)", *chosen("b")),
            kpi("validation share", ipip.get("validation"), "held out to prune to p ensembles"),
            kpi("judged on", "prequential", "each block's rows scored before it was learned"),
        ],
    )


def _trainings(reader: Reader, name: str, trained: list, metric: str) -> tuple[list, ...]:
    """One table row per challenger (or per training without one), and the figure's
    series: version labels, training rows and fit times."""
    rows, xs, sizes, fit_times = [], [], [], []
    for run in trained:
        report = reader.report(name, run)
        fit = report.timings.get("learn")
        for c in report.challengers:
            comparison = c.comparison or {}
            rows.append(
                [cell_time(run.started_at), file_name(run.source), badge(run.decision),
                 f"v{c.version}", c.strategy or "—", c.trained_on or "—",
                 number(c.rows), number(fit), number(c.metrics.get(metric)),
                 number((c.champion_metrics or {}).get(metric)),
                 number(comparison.get("improvement")),
                 badge("promoted" if c.promoted else "rejected",
                       "promoted" if c.promoted else "rejected"),
                 words(clip(c.reason, 160))]
            )  # fmt: skip
            xs.append(f"v{c.version}")
            sizes.append(c.rows)
            fit_times.append(fit)
        if not report.challengers:
            rows.append(
                [cell_time(run.started_at), file_name(run.source), badge(run.decision), "—",
                 "—", "—", "—", number(fit), "—", "—", "—", badge("failed", "no challenger"),
                 words(clip(run.summary.get("reason"), 200))]
            )  # fmt: skip
    return rows, xs, sizes, fit_times


def _sizes_figure(xs: list, sizes: list, fit_times: list) -> dict[str, Any]:
    """Training rows as bars and fit time as a line on a second axis."""
    fig = figures.bars([{"name": "training rows", "x": xs, "y": sizes}], "rows", x_title="version")
    fig["data"].append(
        {"type": "scatter", "mode": "lines+markers", "name": "fit time (s)", "x": xs,
         "y": fit_times, "yaxis": "y2", "line": {"color": "#f97316"}}
    )  # fmt: skip
    fig["layout"]["yaxis2"] = {"overlaying": "y", "side": "right", "title": {"text": "seconds"},
                               "rangemode": "tozero", "automargin": True}  # fmt: skip
    fig["layout"]["margin"]["r"] = 64
    return fig


def _window(retrain: dict[str, Any]) -> str:
    if retrain.get("window_rows"):
        return f"{retrain['window_rows']:,} rows"
    if retrain.get("window_batches"):
        count = retrain["window_batches"]
        return f"{count} batch" if count == 1 else f"{count} batches"
    return "—"
