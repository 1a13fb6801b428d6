"""The HTML report in headless Chromium (Debian's package, driven by Playwright): it draws
its plots with every network request refused. The screenshot is saved under
``$CALMOPS_TEST_ARTIFACTS/evaluation`` when that variable is set, else in pytest's tmp folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calmops.data_generators import evaluate

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
pytestmark = pytest.mark.slow


def test_the_report_renders_offline(tables, tmp_path):
    report = evaluate(tables["train"], tables["independent"], tables["holdout"], "segment")
    page_path = report.save_html(tmp_path / "report.html")
    folder = Path(os.environ.get("CALMOPS_TEST_ARTIFACTS", tmp_path)) / "evaluation"
    folder.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file:"):
            return request_route.continue_()
        refused.append(url)
        return request_route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1400})
        page.route("**/*", route)
        page.goto(page_path.as_uri())
        page.wait_for_selector("#plot-5 .main-svg", timeout=30_000)
        headline = page.locator("table").first.inner_text()
        plots = page.locator(".js-plotly-plot").count()
        page.screenshot(path=str(folder / "report.png"), full_page=True)
        browser.close()
    assert refused == []
    assert "detection.auc" in headline and "0.5 is best" in headline
    assert plots == 7  # six columns and the pair heatmap
