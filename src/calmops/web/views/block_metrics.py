"""The Runs tab's per-block figures (block and IPIP kinds), and the words for an empty metric
chart: a chart with empty axes never stands in for "nothing to show".

A block run's report holds each block's metric; an IPIP run's holds each block's prequential
metric (the block scored before the model learned it). A batch-level metric may be missing
(the first batch trains the first model, so nothing scored it), but the blocks have numbers.
"""

from __future__ import annotations

from typing import Any

from calmops.store import RunRecord
from calmops.web import figures
from calmops.web.reader import Reader
from calmops.web.sections import figure, notice
from calmops.web.views.blocks import block_entries
from calmops.web.views.common import clean
from calmops.web.views.identity import run_labels

__all__ = ["block_metric_section", "empty_metric_notice"]

MAX_POINTS = 300


def block_metric_section(
    reader: Reader, name: str, kind: str, chronological: list[RunRecord], metric: str
) -> dict[str, Any] | None:
    """``metric`` of every block of every run, in order (None when no block has it)."""
    succeeded = [r for r in chronological if r.status == "succeeded"]
    names = run_labels(succeeded)
    x, y = [], []
    for run in succeeded:
        for entry in block_entries(reader.report(name, run)):
            value = entry.metrics.get(metric)
            if isinstance(value, int | float) and not isinstance(value, bool):
                x.append(f"{names[run.id]} · {entry.block}")
                y.append(clean(float(value)))
    if not x:
        return None
    x, y = x[-MAX_POINTS:], y[-MAX_POINTS:]
    fig = figures.categorical_x(
        figures.line([{"name": metric, "x": x, "y": y}], metric, x_title="batch file · block")
    )
    if kind == "ipip":
        title = f"Prequential {metric} of each block"
        note = "Each block scored by the model before it learned that block (IPIP)."
    else:
        title = f"{metric} of each block"
        note = "The champion's score on each block, as the run report records it."
    return figure("runs-block-metric", title, fig, note=note)


def empty_metric_notice(metric: str, runs: list[RunRecord], has_blocks: bool) -> dict[str, Any]:
    """Why no batch has ``metric``: say it instead of drawing empty axes.

    >>> empty_metric_notice("f1", [], False)["text"][:40]
    'No f1 of the champion on a batch yet: no'
    """
    labelled = [r for r in runs if r.status == "succeeded" and r.decision != "predict_only"]
    if not runs or not labelled:
        why = "no labelled batch has been scored by a champion yet"
    elif all(r.decision == "train" for r in labelled):
        why = "the only labelled batches trained the first model, so no champion scored them"
    else:
        why = "the runs recorded no batch-level metric"
    tail = " The per-block figures below have the blocks' numbers." if has_blocks else ""
    return notice(
        "runs-metric",
        f"No {metric} of the champion on a batch yet: {why}.{tail}",
        "info",
    )
