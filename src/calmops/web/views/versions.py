"""The Models tab's versions table: "did the model get better?" answered on the same rows.

Each version's row shows the score that made it (or failed to make it) the champion, beside
the champion of that moment scored on the *same* holdout rows, the difference and its
interval: the comparison recorded in the run report that trained it. A version's own holdout
score alone is not comparable across versions (each had its own holdout), so the table says
what each number was measured on.
"""

from __future__ import annotations

from typing import Any

from calmops.errors import CalmopsError
from calmops.pipeline.report import ChallengerEntry
from calmops.store import ModelVersion
from calmops.web.format import cell_time, number
from calmops.web.reader import Reader
from calmops.web.sections import badge, table
from calmops.web.views.common import file_name

__all__ = ["Comparison", "comparison_of", "versions_table"]

Comparison = dict[str, Any]


def comparison_of(reader: Reader, name: str, version: ModelVersion) -> Comparison:
    """What the run that trained ``version`` recorded about it: the challenger entry, the
    champion it was compared with and the batch file (empty when there is no report)."""
    run_id = (version.card or {}).get("run_id")
    if not run_id:
        return {}
    try:
        run = reader.ws.store.runs.get(name, run_id)
    except (CalmopsError, LookupError):
        return {}
    report = reader.report(name, run)
    entry = next((c for c in report.challengers if c.version == version.version), None)
    if entry is None:
        return {}
    return {"entry": entry, "champion": report.champion_before, "file": file_name(run.source)}


def _holdout_rows(reader: Reader, name: str, version: ModelVersion) -> int | None:
    def count() -> int | None:
        holdout = reader.registry(name).holdout(version)
        return None if holdout is None else len(holdout.y_true)

    return reader.derived(("holdout-rows", name, version.version), count)


def measured_on(entry: ChallengerEntry | None, rows: int | None, file: str) -> str:
    """What the numbers of a version's row were measured on, in words.

    >>> measured_on(None, 200, "b.csv")
    '200 held-out rows of b.csv'
    """
    if entry is not None and (entry.strategy == "ipip" or "prequential" in entry.reason):
        return f"prequential: each block of {file} scored before the model learned it"
    shown = f"{rows:,} held-out rows" if rows else "its held-out rows"
    if entry is not None and entry.champion_metrics:
        return f"both on the same {shown} of {file}"
    return f"{shown} of {file}"


def _difference(entry: ChallengerEntry | None, metric: str) -> str:
    comparison = (entry.comparison if entry is not None else None) or {}
    if comparison.get("improvement") is None:
        return "—"
    low, high = comparison.get("low"), comparison.get("high")
    interval = "" if low is None or high is None else f" [{low:+.3f}, {high:+.3f}]"
    return f"{comparison['improvement']:+.3f}{interval}"


def _verdict(card: dict[str, Any]) -> Any:
    """Promoted or rejected (the sentence stays in the model card and the alias changes)."""
    promotion = card.get("promotion") or {}
    if "promoted" not in promotion:
        return "—"
    return badge("promoted" if promotion["promoted"] else "failed",
                 "promoted" if promotion["promoted"] else "rejected")  # fmt: skip


def versions_table(
    reader: Reader,
    name: str,
    versions: list[ModelVersion],
    aliases: dict[int, list[str]],
    metric: str,
    confidence: float,
) -> dict[str, Any]:
    """The versions, newest first, each against the champion it was compared with."""
    rows = []
    for v in reversed(versions):
        card = v.card or {}
        found = comparison_of(reader, name, v)
        entry: ChallengerEntry | None = found.get("entry")
        mine = entry.metrics.get(metric) if entry is not None else v.metrics.get(metric)
        champion = (entry.champion_metrics or {}).get(metric) if entry is not None else None
        before = found.get("champion")
        rows.append(
            [
                f"v{v.version}",
                ", ".join(sorted(aliases.get(v.version, []))) or "—",
                number(mine),
                "—" if champion is None else f"{number(champion)} (v{before})",
                _difference(entry, metric),
                measured_on(entry, _holdout_rows(reader, name, v), found.get("file") or "—"),
                card.get("strategy") or "—",
                number((card.get("training") or {}).get("rows")),
                cell_time(v.created_at),
                _verdict(card),
            ]
        )
    columns = [
        "version",
        "aliases",
        f"{metric} (this version)",
        "champion then, same rows",
        f"difference [{confidence:.0%} interval]",
        "measured on",
        "strategy",
        "trained rows",
        "created",
        "verdict",
    ]
    note = (
        "Newest first. Each version is compared with the champion of its day on the same "
        "held-out rows (the difference and its interval are from that paired comparison); "
        "scores of different versions on different holdouts are not comparable. The full "
        "verdict is in each model card and the alias changes."
    )
    return table("models-versions", "Versions: each challenger against its champion", columns,
                 rows, note=note)  # fmt: skip
