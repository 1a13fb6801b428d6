"""Pages that tell the truth, in a real browser (issue 18, items 1-6 and 11): Playwright and
Debian's Chromium against a uvicorn server on loopback, screenshots at 1440 px.

The server and browser fixtures are those of ``test_browser.py``; the workspace is the
session's plus the pipelines of ``truth_workspace.py``.
"""

from __future__ import annotations

import pytest
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    WAIT_MS,
    browser,
    open_tab,
    plotted,
    ready,
    server,
    shots,
)
from tests.web.truth_workspace import add_truth

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def lab(built_once, tmp_path_factory):
    """The session's workspace, copied, with the truth pipelines added."""
    return add_truth(built_once.copy(tmp_path_factory.mktemp("truth-browser") / "copy"))


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def _badge(locator) -> tuple[str, str]:
    badge = locator.locator(".badge").first
    return badge.inner_text(), badge.get_attribute("class")


def test_a_drifted_feature_is_amber_on_the_overview_runs_and_drift_tab(page, server, shots):  # noqa: F811
    page.goto(server + "/")
    ready(page)
    row = page.locator("#overview-pipelines tbody tr", has_text="shared").first
    columns = page.locator("#overview-pipelines thead th").all_inner_texts()
    cell = row.locator("td").nth(columns.index("drift"))
    text, classes = _badge(cell)
    assert "x0 drifted" in text and "rule ≥ 50%" in text and "warn" in classes
    assert "x0 drifted" in row.locator("td").last.inner_text()  # needs attention
    page.screenshot(path=str(shots / "truth-overview.png"), full_page=True)

    page.goto(server + "/pipelines/shared")
    ready(page)
    columns = page.locator("#runs-table thead th").all_inner_texts()
    first = page.locator("#runs-table tbody tr").first.locator("td").nth(columns.index("drift"))
    text, classes = _badge(first)
    assert "x0" in text and "warn" in classes
    page.screenshot(path=str(shots / "truth-shared-runs.png"), full_page=True)

    open_tab(page, "drift")
    reason = page.locator("#drift-reason p.notice")
    assert "did not fire" in page.locator("#drift-reason").inner_text()
    assert "warn" in (reason.get_attribute("class") or "")
    kpi = page.locator("#drift-kpis .kpi", has_text="dataset drift")
    assert "warn" in kpi.get_attribute("class") and "50%" in kpi.get_attribute("title")
    x0 = page.locator("#drift-features tbody tr", has_text="x0").first
    assert "bad" in x0.locator(".badge").first.get_attribute("class")
    page.screenshot(path=str(shots / "truth-shared-drift.png"), full_page=True)


def test_the_drift_heatmap_names_runs_as_the_runs_tab_does(page, server, shots):  # noqa: F811
    page.goto(server + "/pipelines/sea?tab=drift")
    ready(page)
    page.wait_for_selector("#drift-heatmap .js-plotly-plot")
    x = page.evaluate("document.querySelector('#drift-heatmap .js-plotly-plot').data[0].x")
    page.wait_for_selector("#drift-heatmap .xtick text")
    ticks = page.evaluate(
        "Array.from(document.querySelectorAll('#drift-heatmap .xtick text'))"
        ".map(e => e.textContent)"
    )
    files = page.evaluate(
        "fetch('/api/pipelines/sea/runs').then(r => r.json()).then(v => v.runs.map(r => r.file))"
    )
    assert x and set(x) <= set(files) and ticks and all(t.endswith(".csv") for t in ticks)
    page.locator("#drift-heatmap").screenshot(path=str(shots / "truth-sea-heatmap.png"))


def test_versions_compare_each_challenger_with_its_champion(page, server, shots):  # noqa: F811
    page.goto(server + "/pipelines/sea?tab=models")
    ready(page)
    head = page.locator("#models-versions thead").inner_text()
    assert "champion then, same rows" in head and "interval" in head and "measured on" in head
    newest = page.locator("#models-versions tbody tr").first.inner_text()
    assert "same 200 held-out rows" in newest and "[+" in newest and "promoted" in newest
    page.screenshot(path=str(shots / "truth-sea-models.png"), full_page=True)


def test_an_ipip_pipeline_draws_its_blocks_and_says_what_it_learns_from(page, server, shots):  # noqa: F811
    page.goto(server + "/pipelines/ipipmonths")
    ready(page)
    page.wait_for_selector("#runs-block-metric .js-plotly-plot")
    points = page.evaluate(
        "document.querySelector('#runs-block-metric .js-plotly-plot').data[0].y.length"
    )
    assert points >= 4
    page.screenshot(path=str(shots / "truth-ipip-runs.png"), full_page=True)
    open_tab(page, "training")
    policy = page.locator("#training-policy").inner_text()
    assert "IPIP" in policy and "prequential" in policy and "holdout share" not in policy
    page.screenshot(path=str(shots / "truth-ipip-training.png"), full_page=True)
    open_tab(page, "ipip")
    page.wait_for_selector("#ipip-structure .js-plotly-plot")
    dashes = page.evaluate(
        "Object.fromEntries(document.querySelector('#ipip-structure .js-plotly-plot').data"
        ".map(t => [t.name, t.line.width]))"
    )
    assert dashes["p"] > dashes["ensembles"]  # p a wide band, ensembles a line over it
    assert "coincide" in page.locator("#ipip-structure").inner_text()
    page.screenshot(path=str(shots / "truth-ipip-ipip.png"), full_page=True)


def test_block_badges_agree_with_the_reasons(page, server, shots):  # noqa: F811
    page.goto(server + "/pipelines/blocky?tab=blocks")
    ready(page)
    row = page.locator("#blocks-latest tbody tr", has_text="2024-03").first.inner_text()
    assert "data drift from the reference in x0" in row and "no drift found" not in row
    page.screenshot(path=str(shots / "truth-blocky-blocks.png"), full_page=True)


def test_roc_says_which_rows_and_performance_sits_beside_its_estimate(page, server, shots):  # noqa: F811
    page.goto(server + "/pipelines/once?tab=performance")
    ready(page)
    assert "held-out rows" in page.locator("#performance-roc").inner_text()
    assert "held-out rows" in page.locator("#performance-confusion").inner_text()
    page.screenshot(path=str(shots / "truth-once-performance.png"), full_page=True)
    page.goto(server + "/pipelines/sea?tab=performance")
    ready(page)
    table = page.locator("#performance-beside")
    assert "prediction drift" in table.locator("thead").inner_text()
    first = table.locator("tbody tr").first.inner_text()
    assert "[" in first and "predictions drifted" in first
    page.screenshot(path=str(shots / "truth-sea-performance.png"), full_page=True)
