"""The Drift tab: a feature-by-run heatmap of drift statistics; prediction and label drift
over runs; per feature, the reference against one batch (the newest, or ``?run=RUN_ID``)
and the statistic's history; that batch's multivariate results and data quality."""

from __future__ import annotations

from typing import Any

from calmops.web import figures
from calmops.web.format import clip, number, test_label, when
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import file_name
from calmops.web.views.distributions import latest_batch, overlay, reference_version
from calmops.web.views.drift_history import history_traces
from calmops.web.views.identity import run_labels
from calmops.web.views.pick import chosen_run, click_links, picker
from calmops.web.views.status import empty_runs_text
from calmops.web.views.target_drift import target_sections
from calmops.web.views.verdicts import feature_badge, state_of_report

__all__ = ["build_drift", "features_table"]

MAX_FEATURES = 60


def build_drift(
    reader: Reader, name: str, *, base: str = "", limit: int = 60, run: str | None = None
) -> dict[str, Any]:
    """The Drift tab of pipeline ``name`` over its newest ``limit`` runs, looking at run
    ``run`` (default: the newest tested); an unknown ``run`` raises RunNotFoundError."""
    record = reader.pipeline(name)
    wanted = chosen_run(reader, name, run)
    runs = reader.runs(name, limit=limit)
    if not runs:
        return tab("drift", "Drift", [notice("drift-empty", empty_runs_text(record.spec, name))])
    tested, reports = _tested(reader, name, runs)
    if not tested:
        text = (
            "No drift tested yet: the first labelled batch trains the first model and becomes "
            "the reference; the batches after it are tested against it."
        )
        return tab("drift", "Drift", [notice("drift-none", text)])
    focus = _focus(reader, name, tested, wanted)
    choose = picker(
        "drift",
        _choices(tested, wanted),
        (wanted or tested[-1][0]).id,
        note="Or click a column of the heatmap.",
    )
    heat = _heat(base, name, tested, wanted)
    if focus is None:
        text = f"Run {wanted.id} ({file_name(wanted.source)}) was not tested for drift: " + (
            _untested(reader, name, wanted)
        )
        return tab("drift", "Drift", [choose, notice("drift-untested", text, "info"), heat],
                   run_id=wanted.id)  # fmt: skip
    latest_run, latest = focus
    features = list(latest["features"])[:MAX_FEATURES]
    state = state_of_report(latest)
    sections = [
        choose,
        _kpis(latest_run, latest, state),
        notice("drift-reason", _reason(latest, state), state.tone if state else "ok"),
        heat,
        *target_sections(reports, latest_run.id),
        _feature_figure(reader, name, tested, features, focus),
        features_table(latest),
        _multivariate(latest),
        _quality(latest),
    ]
    return tab("drift", "Drift", sections, run_id=latest_run.id, features=features)


def _tested(reader: Reader, name: str, runs) -> tuple[list, list]:
    """The succeeded runs that have drift results, oldest first: ``(run, drift)`` pairs and
    the matching ``(run, report)`` pairs."""
    tested, reports = [], []
    for run in reversed(runs):
        if run.status != "succeeded":
            continue
        report = reader.report(name, run)
        if report.drift and report.drift.get("features"):
            tested.append((run, report.drift))
            reports.append((run, report))
    return tested, reports


def _heat(base: str, name: str, tested, wanted) -> dict[str, Any]:
    """The feature-by-run heatmap, ``wanted`` framed, its columns links to their runs."""
    heat = figure(
        "drift-heatmap",
        "Drift statistic by feature and run",
        _heatmap(tested, list(tested[-1][1]["features"])[:MAX_FEATURES], wanted),
        note="Colour: the test's p-value as -log10(p) (distance tests: the statistic over "
        "its threshold); ● marks a drifted feature. Hover for the test and the numbers; "
        "click a column to open that batch.",
    )
    heat["click"] = _heatmap_links(base, name, tested, heat["figure"])
    return heat


def _kpis(latest_run, latest: dict[str, Any], state) -> dict[str, Any]:
    """The headline numbers of the batch the tab looks at."""
    return kpis(
        "drift-kpis",
        [
            kpi("batch", file_name(latest_run.source)),
            kpi("features tested", latest.get("n_tested")),
            kpi(
                "drifted",
                latest.get("n_drifted"),
                "significant and material",
                tone="bad" if latest.get("n_drifted") else "ok",
            ),
            kpi(
                "warnings",
                len(state.warned) if state else latest.get("n_warning"),
                "one of the two, or past the threshold on a small sample",
                tone="warn" if state and state.warned else "",
            ),
            kpi(
                "dataset drift",
                "yes" if latest.get("drift_detected") else "no",
                state.rule if state else "",
                tone=state.tone if state else "ok",
            ),
        ],
    )


def _feature_figure(reader: Reader, name: str, tested, features: list[str], focus):
    """Per feature, a choice of figure: the reference against this batch, and the
    statistic over runs (computed once per set of runs and features)."""
    latest_run, _ = focus
    return figure(
        "drift-feature",
        "Per feature: reference against this batch, and the statistic over runs",
        choices=reader.derived(
            (
                "drift-features",
                name,
                tuple(r.id for r, _ in tested),
                tuple(features),
                latest_run.id,
            ),
            lambda: _per_feature(reader, name, tested, features, focus),
        ),
    )


def _reason(latest: dict[str, Any], state) -> str:
    """The report's reason, with the drifted features named when the dataset rule held them
    back (amber, never green)."""
    reason = latest.get("reason") or ""
    if state is None or state.state != "features":
        return reason
    moved = ", ".join(state.drifted + state.warned)
    return f"Features moved: {moved}; the dataset rule did not fire ({state.rule}). {reason}"


def _score(entry: dict[str, Any]) -> float | None:
    """How strongly a feature drifted, on one scale: -log10(p), or statistic / threshold."""
    import math

    p = entry.get("p_value")
    if p is not None:
        return round(min(-math.log10(max(p, 1e-12)), 12.0), 4)
    statistic, threshold = entry.get("statistic"), entry.get("threshold")
    if statistic is None or not threshold:
        return None
    return round(statistic / threshold, 4)


def _focus(reader: Reader, name: str, tested, wanted) -> tuple[Any, dict[str, Any]] | None:
    """``(run, drift)`` the tab looks at: ``wanted`` (even older than the runs shown), else
    the newest tested; None when ``wanted`` was not tested for drift."""
    if wanted is None:
        return tested[-1]
    found = next((t for t in tested if t[0].id == wanted.id), None)
    if found is not None or wanted.status != "succeeded":
        return found
    drift = reader.report(name, wanted).drift
    return (wanted, drift) if drift and drift.get("features") else None


def _choices(tested, wanted) -> list:
    """The runs the picker offers: every tested run, newest first, and ``wanted``."""
    runs = [run for run, _ in reversed(tested)]
    if wanted is not None and all(r.id != wanted.id for r in runs):
        runs.insert(0, wanted)
    return runs


def _untested(reader: Reader, name: str, run) -> str:
    """Why ``run`` has no drift results, in a sentence."""
    if run.status == "failed":
        return "it failed (" + clip(run.error or "no error recorded", 200) + ")."
    if run.status == "running":
        return "it is still running."
    if run.decision == "train":
        return "its batch trained the first model and became the reference."
    return "its report has no drift results (see the run's page for what it did)."


def _heatmap_links(base: str, name: str, tested, fig: dict[str, Any]) -> dict[str, Any]:
    """Clicking a column opens the Drift tab on that run."""
    keys = [str(x) for x in fig["data"][0]["x"]] if fig["data"] else []
    return click_links(base, name, "drift", keys, [r.id for r, _ in tested][: len(keys)])


def _heatmap(tested, features: list[str], wanted=None) -> dict[str, Any]:
    names = run_labels([run for run, _ in tested])
    x = [names[run.id] for run, _ in tested]
    z, text = [], []
    for feature in features:
        row_z, row_text = [], []
        for run, drift in tested:
            entry = (drift.get("features") or {}).get(feature)
            if entry is None:
                row_z.append(None)
                row_text.append("not tested")
                continue
            row_z.append(_score(entry))
            row_text.append(
                f"{names[run.id]} · {when(run.started_at)} UTC<br>"
                f"{test_label(entry.get('test'))} statistic "
                f"{number(entry.get('statistic'))}, p {number(entry.get('p_value'))}<br>"
                f"{entry.get('verdict')}" + (" ●" if entry.get("drift") else "")
            )
        z.append(row_z)
        text.append(row_text)
    highest = max((v for row in z for v in row if v is not None), default=0.0)
    labels = [
        [
            "" if v is None else f"{v:.2f}" + (" ●" if "●" in t else "")
            for v, t in zip(row_z, row_t, strict=True)
        ]
        for row_z, row_t in zip(z, text, strict=True)
    ]
    fig = figures.heatmap(
        z, x, features, text=text, labels=labels, title="score", zmax=max(3.0, highest)
    )
    fig["layout"]["xaxis"]["title"] = {"text": "batch file, oldest to newest (as on the Runs tab)"}
    fig["layout"]["xaxis"]["type"] = "category"
    fig["layout"]["yaxis"]["type"] = "category"
    at = next((i for i, (r, _) in enumerate(tested) if wanted and r.id == wanted.id), None)
    if at is not None:  # the run shown below, framed
        fig["layout"]["shapes"] = [
            {"type": "rect", "xref": "x", "yref": "paper", "x0": at - 0.5, "x1": at + 0.5,
             "y0": 0, "y1": 1, "line": {"color": "#111827", "width": 2}}
        ]  # fmt: skip
    return fig


def _per_feature(reader: Reader, name: str, tested, features: list[str], focus) -> dict[str, Any]:
    latest_run, latest = focus
    run, frame = latest_batch(reader, name, [latest_run])
    version = reference_version(reader.report(name, latest_run), latest_run)
    profile = reader.profile(name, version) if version else None
    choices = {}
    for feature in features:
        current = frame[feature] if frame is not None and feature in frame.columns else None
        ref = profile.columns.get(feature) if profile is not None else None
        dist = overlay(feature, current, ref) or {"data": [], "layout": figures.layout()}
        history, y_title, log = history_traces(tested, feature)
        data = list(dist["data"]) + history
        layout = figures.layout(
            "share of rows", feature, height=340, barmode=dist["layout"].get("barmode", "overlay")
        )
        layout["xaxis"]["domain"] = [0, 0.55]
        layout["xaxis2"] = {"domain": [0.65, 1], "title": {"text": "time (UTC)"}, "anchor": "y2",
                            "type": "date"}  # fmt: skip
        layout["yaxis2"] = {"anchor": "x2", "title": {"text": y_title}}
        layout["yaxis2"] |= {"type": "log"} if log else {"rangemode": "tozero"}
        choices[feature] = {"data": data, "layout": layout}
    return choices


def features_table(
    latest: dict[str, Any], title: str = "This batch, per feature (drifted first)"
) -> dict[str, Any]:
    """The per-feature drift results of one run's ``drift`` section, drifted first."""
    rows = []
    entries = sorted(
        (latest.get("features") or {}).items(), key=lambda kv: (not kv[1].get("drift"), kv[0])
    )
    for feature, e in entries:
        sizes = (e.get("effect_sizes") or {}).items()
        effects = ", ".join(f"{test_label(k)} {number(v)}" for k, v in sizes)
        rows.append(
            [feature, e.get("kind") or "—", test_label(e.get("test")), number(e.get("statistic")),
             number(e.get("p_value")), number(e.get("threshold")), feature_badge(e),
             effects or "—"]
        )  # fmt: skip
    skipped = latest.get("skipped") or {}
    note = "; ".join(f"{k} not tested: {v}" for k, v in skipped.items())
    return table(
        "drift-features",
        title,
        [
            "feature",
            "kind",
            "test",
            "statistic",
            "p-value (corrected)",
            "threshold",
            "verdict",
            "effect sizes",
        ],  # fmt: skip
        rows,
        note=note,
    )


def _multivariate(latest: dict[str, Any]) -> dict[str, Any]:
    tests = latest.get("multivariate") or {}
    if not tests:
        return notice(
            "drift-multivariate",
            "No multivariate test in this pipeline's drift settings (MMD or a domain "
            "classifier test all numeric columns at once).",
            "info",
        )
    rows = [
        [m.get("method") or key, number(m.get("statistic")), number(m.get("p_value")),
         number(m.get("threshold")), badge(m.get("verdict"))]
        for key, m in tests.items()
    ]  # fmt: skip
    return table(
        "drift-multivariate",
        "Multivariate tests (this batch)",
        ["method", "statistic", "p-value", "threshold", "verdict"],
        rows,
    )


def _quality(latest: dict[str, Any]) -> dict[str, Any]:
    findings = latest.get("quality") or []
    if not findings:
        return notice("drift-quality", "No data-quality findings in this batch.", "ok")
    order = {"error": 0, "warning": 1, "info": 2}
    rows = [
        [badge(f.get("severity")), f.get("kind") or "—", f.get("column") or "(table)",
         f.get("message") or ""]
        for f in sorted(findings, key=lambda f: order.get(f.get("severity"), 3))
    ]  # fmt: skip
    return table(
        "drift-quality", "Data-quality findings (this batch)",
        ["severity", "kind", "column", "message"], rows,
    )  # fmt: skip
