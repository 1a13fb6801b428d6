"""Pages: plotly.js only where charts are, a missing tab said, runs titled by file and time,
an empty log filter said (issue 18)."""

from __future__ import annotations

import re

from calmops.web.format import clock
from calmops.web.views.common import file_name


def test_no_page_loads_plotly_in_its_head(client) -> None:
    for url in ("/", "/pipelines/sea", "/pipelines/sea?tab=drift"):
        html = client.get(url).text
        assert not re.search(r"<script[^>]*plotly", html), url
        assert 'data-plotly="/assets/plotly.min.js"' in html  # loaded by the page when needed


def test_a_tab_the_pipeline_lacks_is_said(client) -> None:
    html = client.get("/pipelines/sea?tab=ipip").text
    assert 'id="tab-missing"' in html
    assert "sea has no “ipip” tab: only ipip pipelines have one, sea is a stream pipeline" in html
    assert 'class="tab active" data-tab="runs"' in html
    assert (
        "has no “charts” tab. Showing Runs; its tabs: Runs, Data"
        in client.get("/pipelines/sea?tab=charts").text
    )
    assert 'id="tab-missing"' not in client.get("/pipelines/ipipmonths?tab=ipip").text
    assert 'id="tab-missing"' not in client.get("/pipelines/sea").text


def test_a_run_page_is_titled_by_file_and_time(client, reader) -> None:
    run = reader.runs("sea")[0]
    html = client.get(f"/pipelines/sea/runs/{run.id}").text
    heading = f"{file_name(run.source)} · {clock(run.started_at)}"
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>CalmOps · sea · {heading}</title>" in html


def test_an_empty_log_filter_says_no_line_matched(client) -> None:
    def logs(**params) -> dict:
        view = client.get("/api/pipelines/sea/logs", params=params).json()
        return next(s for s in view["sections"] if s["kind"] == "logs")

    nothing = logs(q="no line has these words", level="error")
    assert nothing["lines"] == []
    assert nothing["empty"] == (
        "No line matched: level ERROR or above containing “no line has these words”."
    )
    everything = logs()
    assert everything["lines"] and everything["empty"] == ""
    assert logs(after=everything["offset"])["empty"] == ""  # following: nothing new is fine
    html = client.get("/pipelines/sea?tab=logs").text
    assert '<p class="notice log-empty" hidden>' in html
