"""The Data tab: the latest batch's schema, summary statistics, missingness, a capped
preview, and each column's distribution against the reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from calmops.web import figures
from calmops.web.format import number
from calmops.web.reader import Reader
from calmops.web.sections import figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, file_name
from calmops.web.views.distributions import MAX_ROWS, latest_batch, overlay, reference_version
from calmops.web.views.pick import MAX_OPTIONS, chosen_run, picker
from calmops.web.views.status import empty_runs_text

__all__ = ["PREVIEW_COLUMNS", "PREVIEW_ROWS", "build_data"]

PREVIEW_ROWS = 10
PREVIEW_COLUMNS = 20
MAX_COLUMNS = 60
CELL_CHARS = 60


def build_data(
    reader: Reader, name: str, *, base: str = "", run: str | None = None, **_: Any
) -> dict[str, Any]:
    """The Data tab of pipeline ``name``: the batch of run ``run`` (default: the newest run
    whose batch can still be read); an unknown ``run`` raises RunNotFoundError (a 404)."""
    record = reader.pipeline(name)
    wanted = chosen_run(reader, name, run)
    runs = reader.runs(name, limit=MAX_OPTIONS)
    if not runs:
        return tab("data", "Data", [notice("data-empty", empty_runs_text(record.spec, name))])
    found, frame = latest_batch(reader, name, [wanted] if wanted else runs[:20])
    choose = picker("data", runs, (wanted or found).id if (wanted or found) else None)
    if found is None:
        text = (
            "The batches of the latest runs are no longer on disk (neither the retained copy "
            "nor the file), so there is nothing to show; the next run will have one."
        )
        if wanted is not None:
            text = _gone(wanted)
        return tab("data", "Data", [choose, notice("data-gone", text, "warn")], run_id=run)
    report = reader.report(name, found)
    version = reference_version(report, found)
    profile = reader.profile(name, version) if version else None
    view = reader.derived(
        ("data-tab", name, found.id, version),
        lambda: _build(frame, profile, found, version, record.spec),
    )
    return {**view, "sections": [choose, *view["sections"]]}


def _gone(run) -> str:
    """Why the batch of a chosen run cannot be shown."""
    if run.status == "failed":
        return f"Run {run.id} failed before its batch was read ({file_name(run.source)})."
    if run.status == "running":
        return f"Run {run.id} is still running; its batch shows once it has finished."
    return (
        f"The batch of run {run.id} ({file_name(run.source)}) is no longer on disk (neither "
        "the retained copy nor the file)."
    )


SCHEMA_HEADERS = [
    "column",
    "dtype",
    "kind",
    "non-null",
    "missing",
    "reference missing",
    "distinct",
    "most frequent",
]
STATS_HEADERS = [
    "column",
    "mean",
    "std",
    "min",
    "25%",
    "median",
    "75%",
    "max",
    "ref. mean",
    "ref. std",
]


def _build(frame: pd.DataFrame, profile, run, version, spec: dict[str, Any]) -> dict[str, Any]:
    columns = [str(c) for c in frame.columns][:MAX_COLUMNS]
    target = (spec.get("data") or {}).get("target")
    ref_columns = profile.columns if profile is not None else {}
    schema_rows, stats_rows, missing = _describe(frame, columns, target, ref_columns)
    sections = [
        _kpis(frame, run, profile, version),
        table(
            "data-schema",
            "Schema",
            SCHEMA_HEADERS,
            schema_rows,
            note=f"Only the first {MAX_COLUMNS} columns." if frame.shape[1] > MAX_COLUMNS else "",
        ),
        table("data-stats", "Summary statistics (numeric columns)", STATS_HEADERS, stats_rows),
        _missing_section(missing),
    ]
    distributions = _distributions(frame, columns, ref_columns)
    if distributions is not None:
        sections.append(distributions)
    sections.append(_preview(frame))
    return tab("data", "Data", sections, run_id=run.id, rows=len(frame))


def _describe(
    frame: pd.DataFrame, columns: list[str], target: str | None, ref_columns: dict[str, Any]
) -> tuple[list[list[str]], list[list[str]], dict[str, tuple[float, float | None]]]:
    """Schema rows, numeric statistics rows, and each column's missing share (and the
    reference's)."""
    from calmops.drift.profile import column_kind

    schema_rows, stats_rows, missing = [], [], {}
    for column in columns:
        values = frame[column]
        kind, _ = column_kind(values)
        share = float(values.isna().mean()) if len(values) else 0.0
        ref = ref_columns.get(column)
        missing[column] = (share, ref.missing_rate if ref is not None else None)
        schema_rows.append(
            [
                column + (" (target)" if column == target else ""),
                str(values.dtype),
                kind or "not tested",
                number(int(values.notna().sum())),
                f"{share:.1%}",
                "—" if ref is None else f"{ref.missing_rate:.1%}",
                number(int(values.nunique(dropna=True))),
                _most_frequent(values) if kind in ("categorical", "binary") else "—",
            ]
        )
        if kind == "numeric":
            stats_rows.append(_stats(column, values, ref))
    return schema_rows, stats_rows, missing


def _kpis(frame: pd.DataFrame, run, profile, version) -> dict[str, Any]:
    return kpis(
        "data-kpis",
        [
            kpi("batch", file_name(run.source)),
            kpi("rows", len(frame), "at most 200,000 read" if len(frame) >= MAX_ROWS else ""),
            kpi("columns", frame.shape[1]),
            kpi("missing cells", f"{float(frame.isna().to_numpy().mean()):.1%}"),
            kpi("reference", f"v{version}" if profile is not None else "none"),
        ],
    )


def _missing_section(missing: dict[str, tuple[float, float | None]]) -> dict[str, Any]:
    if any(share or ref for share, ref in missing.values()):
        return figure("data-missing", "Missing values by column", _missing_figure(missing))
    text = "No missing values in this batch, nor in the reference."
    return notice("data-missing", text, "ok")


def _distributions(
    frame: pd.DataFrame, columns: list[str], ref_columns: dict[str, Any]
) -> dict[str, Any] | None:
    """Each column's distribution over the reference's, one choice per column."""
    choices = {}
    for column in columns:
        fig = overlay(column, frame[column], ref_columns.get(column))
        if fig is not None:
            choices[column] = fig
    if not choices:
        return None
    return figure(
        "data-distributions",
        "Distribution against the reference",
        choices=choices,
        note="Reference: the profile of the champion this batch was compared with "
        "(numeric columns from its sample of at most 10,000 values).",
    )


def _stats(column: str, values: pd.Series, ref) -> list[str]:
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return [column, *["—"] * 9]
    q = np.quantile(x, [0.25, 0.5, 0.75])
    side = getattr(ref, "side", None)
    return [
        column,
        *[number(float(v)) for v in (x.mean(), x.std(), x.min(), *q, x.max())],
        number(getattr(side, "mean", None)),
        number(getattr(side, "std", None)),
    ]


def _most_frequent(values: pd.Series) -> str:
    """The commonest value and its share, e.g. ``'a (62.0%)'``.

    >>> _most_frequent(pd.Series(["a", "b", "a", None]))
    'a (66.7%)'
    """
    counts = values.dropna().astype(str).value_counts()
    if counts.empty:
        return "—"
    return f"{_short(counts.index[0])} ({counts.iloc[0] / counts.sum():.1%})"


def _missing_figure(missing: dict[str, tuple[float, float | None]]) -> dict[str, Any]:
    names = list(missing)
    series = [{"name": "current", "x": names, "y": [round(missing[n][0], 5) for n in names]}]
    if any(missing[n][1] is not None for n in names):
        series.insert(
            0,
            {"name": "reference", "x": names,
             "y": [None if missing[n][1] is None else round(missing[n][1], 5) for n in names],
             "marker": {"color": "#94a3b8"}},
        )  # fmt: skip
    fig = figures.bars(series, "share missing")
    fig["layout"]["yaxis"]["rangemode"] = "tozero"
    fig["layout"]["yaxis"]["tickformat"] = ".0%"
    return fig


def _preview(frame: pd.DataFrame) -> dict[str, Any]:
    head = frame.iloc[:PREVIEW_ROWS, :PREVIEW_COLUMNS]
    rows = [[_short(v) for v in row] for row in head.itertuples(index=False)]
    note = f"The first {min(PREVIEW_ROWS, len(frame))} of {len(frame):,} rows"
    if frame.shape[1] > PREVIEW_COLUMNS:
        note += f" and {PREVIEW_COLUMNS} of {frame.shape[1]} columns"
    return table("data-preview", "Preview", [str(c) for c in head.columns], rows, note=note + ".")


def _short(value: Any) -> str:
    value = clean(value.item() if hasattr(value, "item") else value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    text = number(value) if isinstance(value, float) else str(value)
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"
