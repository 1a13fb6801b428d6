"""The HTML report: self-contained (no network), written atomically, and readable in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calmops.privacy import privacy_report
from calmops.privacy.html import render_html

CHROMIUM = Path("/usr/bin/chromium")


def test_self_contained_with_the_numbers(patients, tmp_path):
    report = privacy_report(patients, patients, ["age", "sex"], "diagnosis", k=5)
    path = report.save_html(tmp_path / "report.html", title="Privacy <demo>")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Privacy &lt;demo&gt;" in page
    assert not re.search(r"https?:|<script|<link|<img|@import|url\(", page)
    classes = report.released_classes
    assert f'<td class="num">{classes.n_classes}</td>' in page
    assert "equal an original row" in page and "not requested" in page
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_without_quasi_identifiers_the_page_says_so(patients):
    page = render_html(privacy_report(patients, patients).to_dict())
    assert "No quasi-identifiers given" in page


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
def test_chromium_shows_the_report(patients, tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    report = privacy_report(patients, patients, ["age", "sex"], "diagnosis", k=5)
    path = report.save_html(tmp_path / "report.html")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        text = page.inner_text("body")
        shot = page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert requests == [path.as_uri()]
    assert "Equivalence classes" in text and "Closeness to the original" in text
    assert "need attention" in text and "k-anonymity (smallest class)" in text
    assert len(shot) > 10_000
