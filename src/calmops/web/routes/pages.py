"""The HTML pages: the overview and a pipeline with its tabs (first render on the server;
the page's script then follows the JSON API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from calmops.web.deps import BaseDep, PipelineDep, ReaderDep
from calmops.web.views.overview import build_overview
from calmops.web.views.run import build_run
from calmops.web.views.status import build_status
from calmops.web.views.tabs import build_tab

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
#: the tabs that show any run (``?run=RUN_ID``), not only the newest
RUN_TABS = ("data", "drift", "blocks")


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, reader: ReaderDep, base: BaseDep) -> HTMLResponse:
    view = build_overview(reader, base)
    return _render(request, "overview.html", base, view=view, title="CalmOps · pipelines")


@router.get("/pipelines/{name}", response_class=HTMLResponse)
def pipeline_page(
    request: Request,
    pipeline: PipelineDep,
    reader: ReaderDep,
    base: BaseDep,
    tab: Annotated[str, Query(max_length=20)] = "runs",
    run: Annotated[str | None, Query(max_length=80)] = None,
) -> HTMLResponse:
    status = build_status(
        reader, pipeline.name, api_key_required=request.app.state.api_key is not None
    )
    names = [t["tab"] for t in status["tabs"]]
    chosen = tab if tab in names else "runs"
    params = {"run": run} if run and chosen in RUN_TABS else {}
    view = build_tab(reader, chosen, pipeline.name, base=base, **params)
    return _render(
        request,
        "pipeline.html",
        base,
        status=status,
        view=view,
        active=chosen,
        missing=None if tab in names else missing_tab(tab, status),
        run=params.get("run") or "",
        title=f"CalmOps · {pipeline.name}",
    )


def missing_tab(tab: str, status: dict) -> str:
    """What the page says when ``?tab=`` names a tab this pipeline does not have.

    >>> status = {"name": "sea", "kind": "stream", "tabs": [{"tab": "runs", "title": "Runs"}]}
    >>> print(missing_tab("ipip", status))
    sea has no “ipip” tab: only ipip pipelines have one, sea is a stream pipeline. Showing Runs;...
    >>> missing_tab("charts", status)
    'sea has no “charts” tab. Showing Runs; its tabs: Runs.'
    """
    from calmops.web.views import TABS

    kinds = {name: shown for name, _, shown in TABS}
    titles = ", ".join(t["title"] for t in status["tabs"])
    why = ""
    if kinds.get(tab):
        why = (
            f": only {' and '.join(kinds[tab])} pipelines have one, "
            f"{status['name']} is a {status['kind']} pipeline"
        )
    return f"{status['name']} has no “{tab}” tab{why}. Showing Runs; its tabs: {titles}."


@router.get("/pipelines/{name}/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request, pipeline: PipelineDep, reader: ReaderDep, base: BaseDep, run_id: str
) -> HTMLResponse:
    view = build_run(reader, pipeline.name, run_id, base=base)
    title = f"CalmOps · {pipeline.name} · {view['title']}"
    return _render(request, "run.html", base, name=pipeline.name, view=view, title=title)


def _render(request: Request, template: str, base: str, **context) -> HTMLResponse:
    templates = request.app.state.templates
    html = templates.get_template(template).render(
        base=base, poll_ms=request.app.state.poll_ms, **context
    )
    return HTMLResponse(html)
