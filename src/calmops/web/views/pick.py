"""Any batch, not only the latest: the run a tab looks at (``?run=RUN_ID``) and the picker
that chooses it.

The Data, Drift and Blocks tabs show the newest run by default; given a run id they show
that run (an unknown id is a 404 that names the pipeline and how to list its runs). The
picker is a section of kind ``picker``: ``options`` [{value, label}], ``selected``, and
``param`` (the query parameter the page sets when another option is chosen).

Examples
--------
>>> picker("drift", [], None)["options"]
[]
"""

from __future__ import annotations

from typing import Any

from calmops.store import RunRecord
from calmops.web.format import label
from calmops.web.reader import Reader
from calmops.web.views.common import file_name

__all__ = ["chosen_run", "click_links", "picker", "run_label"]

MAX_OPTIONS = 200


def chosen_run(reader: Reader, name: str, run_id: str | None) -> RunRecord | None:
    """The run ``run_id`` of pipeline ``name`` (None when no id is given); an unknown id
    raises RunNotFoundError, which the pages and the API answer with a 404."""
    if not run_id:
        return None
    return reader.ws.store.runs.get(name, run_id)


def run_label(run: RunRecord) -> str:
    """How a run is named in a picker: its file, its time, what it decided."""
    at = (run.finished_at or run.started_at).strftime("%Y-%m-%d %H:%M")
    what = label(run.decision or run.status)
    return f"{file_name(run.source)} · {at} UTC · {what}"


def picker(
    tab: str,
    runs: list[RunRecord],
    selected: str | None,
    *,
    note: str = "",
    title: str = "Batch",
) -> dict[str, Any]:
    """The run picker of ``tab``: ``runs`` newest first, ``selected`` the run shown."""
    options = [{"value": r.id, "label": run_label(r)} for r in runs[:MAX_OPTIONS]]
    return {
        "id": f"{tab}-run",
        "kind": "picker",
        "title": title,
        "param": "run",
        "options": options,
        "selected": selected,
        "note": note,
    }


def click_links(base: str, name: str, tab: str, keys: list[str], runs: list[str]) -> dict:
    """What clicking a point of a figure opens: the tab ``tab`` on the run of each ``key``
    (an x label or a point's ``customdata``); ``tab`` ``"run"`` opens the run's page.

    >>> click_links("", "sea", "drift", ["a"], ["r1"])
    {'by': 'x', 'links': {'a': '/pipelines/sea?tab=drift&run=r1'}}
    >>> click_links("", "sea", "run", ["r1"], ["r1"])["links"]
    {'r1': '/pipelines/sea/runs/r1'}
    """
    pairs = zip(keys, runs, strict=True)
    if tab == "run":
        return {
            "by": "customdata",
            "links": {k: f"{base}/pipelines/{name}/runs/{r}" for k, r in pairs},
        }
    return {"by": "x", "links": {k: f"{base}/pipelines/{name}?tab={tab}&run={r}" for k, r in pairs}}
