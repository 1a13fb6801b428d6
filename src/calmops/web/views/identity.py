"""One name per run on every tab: the batch file's name (the Runs tab's "file" column), with
the start time added only where two runs read files of the same name. Charts put these names
on their axes instead of counting runs, so a column of the drift heatmap is the run of that
name on the Runs tab, whatever each tab chose to count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from calmops.store import RunRecord
from calmops.web.format import when
from calmops.web.views.common import file_name

__all__ = ["run_labels"]


def run_labels(runs: Sequence[RunRecord]) -> dict[str, str]:
    """``{run id: label}``: the file name, plus the start time when it is not unique.

    >>> from calmops.store import RunRecord
    >>> a = RunRecord(id="a", pipeline="p", status="succeeded", source="/in/b1.csv")
    >>> b = RunRecord(id="b", pipeline="p", status="succeeded", source="/in/b2.csv")
    >>> run_labels([a, b])
    {'a': 'b1.csv', 'b': 'b2.csv'}
    """
    names = {run.id: file_name(run.source) for run in runs}
    repeated = {n for n, count in Counter(names.values()).items() if count > 1}
    labels = {}
    for run in runs:
        label = names[run.id]
        if label in repeated:
            label = f"{label} · {when(run.started_at)}"
            if label in labels.values():
                label = f"{label} · {run.id[-8:]}"
        labels[run.id] = label
    return labels
