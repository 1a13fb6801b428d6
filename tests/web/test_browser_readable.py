"""The dashboards fast, on a phone, in words, with history (issue 18, items 12-15), in
headless Chromium against a real server (the fixtures of ``test_browser``).

Screenshots of every tab at 1440 px and 390 px go where ``test_browser`` puts its own
(``$CALMOPS_TEST_ARTIFACTS/web``, else pytest's temporary folder).
"""

from __future__ import annotations

import re

import pytest
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    TABS,
    WAIT_MS,
    browser,
    lab,
    open_tab,
    ready,
    server,
    shots,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SCROLL_WIDTH = "document.documentElement.scrollWidth"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
WIDER = (  # what sticks out of the page on the right, for the failure message
    "w => Array.from(document.querySelectorAll('body *'))"
    ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap, .tabs'))"
    ".map(e => `${e.tagName}#${e.id}.${e.className.baseVal ?? e.className}`).slice(0, 8)"
)
CODES = re.compile(r"\b(no_drift|predict_only|half_open|balanced_accuracy|f1_macro|roc_auc)\b")


def _page(browser, viewport: dict[str, int]):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


@pytest.fixture
def desk(browser):  # noqa: F811
    context, page, errors = _page(browser, DESKTOP)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def phone(browser):  # noqa: F811
    context, page, errors = _page(browser, PHONE)
    yield page
    context.close()
    assert errors == [], errors


def charts_drawn(page) -> None:
    """Wait until every figure of the shown view is drawn."""
    page.wait_for_function(
        "() => { const v = document.getElementById('view');"
        " const n = v.querySelectorAll('.figure').length;"
        " return v.querySelectorAll('.js-plotly-plot').length >= n; }"
    )


# ---- 12: time to content -------------------------------------------------------------------


def test_pages_without_charts_never_load_plotly(desk, server) -> None:  # noqa: F811
    asked: list[str] = []
    desk.on("request", lambda request: asked.append(request.url))
    desk.goto(server + "/")
    ready(desk)
    desk.goto(server + "/pipelines/sea?tab=logs")
    ready(desk)
    desk.wait_for_selector("pre.log .log-line")
    assert desk.evaluate("document.querySelectorAll('script[src*=plotly]').length") == 0
    assert not any("plotly" in url for url in asked), asked


def test_tables_are_shown_before_plotly_arrives(desk, server) -> None:  # noqa: F811
    held = []
    desk.route("**/assets/plotly.min.js", lambda route: held.append(route))
    desk.goto(server + "/pipelines/sea?tab=runs", wait_until="commit")
    ready(desk)  # the script ran and wired the page while plotly.js is held back
    assert desk.evaluate("typeof window.Plotly") == "undefined"
    assert desk.locator("#runs-table tbody tr").count() >= 5
    assert desk.locator("#runs-table").is_visible()
    assert "drawing the chart" in desk.evaluate(
        "getComputedStyle(document.querySelector('#runs-timeline .figure'), '::before').content"
    ), desk.evaluate("document.querySelector('#runs-timeline').outerHTML")
    for _ in range(200):  # let the route handler run (it runs while Playwright waits)
        if held:
            break
        desk.wait_for_timeout(50)
    assert len(held) == 1  # asked once, deferred: after the tables
    held[0].continue_()
    desk.wait_for_selector("#runs-timeline .js-plotly-plot")
    charts_drawn(desk)
    open_tab(desk, "data")  # another tab: plotly is already there, not fetched again
    charts_drawn(desk)
    assert len(held) == 1


# ---- 13: phone width -----------------------------------------------------------------------


def test_the_overview_fits_a_phone(phone, server, shots) -> None:  # noqa: F811
    phone.goto(server + "/")
    ready(phone)
    assert phone.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    table = phone.locator("#overview-pipelines table")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    cells = phone.evaluate(  # each pipeline a card: the cells shown, where they end
        "Array.from(document.querySelectorAll('#overview-pipelines tbody tr:first-child td'))"
        ".filter(td => td.offsetParent !== null)"
        ".map(td => [td.dataset.label, td.getBoundingClientRect().right])"
    )
    shown = {label for label, _ in cells}
    assert {"pipeline", "decision", "drift", "primary metric", "attention"} <= shown
    assert "kind" not in shown and "trigger" not in shown
    assert all(right <= PHONE["width"] for _, right in cells), cells
    assert "last run failed" in table.inner_text()
    phone.screenshot(path=str(shots / "phone-overview.png"), full_page=True)


def test_runs_rows_are_compact_on_a_phone(phone, server) -> None:  # noqa: F811
    phone.goto(server + "/pipelines/sea")
    ready(phone)
    assert phone.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    heights = phone.evaluate(
        "Array.from(document.querySelectorAll('#runs-table tbody tr'))"
        ".map(r => r.getBoundingClientRect().height)"
    )
    # two lines; three where a drifted batch carries its badge with the dataset rule
    assert heights and max(heights) <= 90, heights
    shown = phone.evaluate(
        "Array.from(document.querySelectorAll('#runs-table tbody tr:first-child td'))"
        ".filter(td => td.offsetParent !== null).map(td => td.dataset.label)"
    )
    assert shown[:3] == ["started", "file", "decision"] and "why" not in shown


def test_heatmap_labels_are_readable_on_a_phone(phone, server) -> None:  # noqa: F811
    phone.goto(server + "/pipelines/sea?tab=drift")
    ready(phone)
    phone.wait_for_selector("#drift-heatmap .js-plotly-plot")
    assert phone.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    labels = phone.evaluate(
        "Array.from(document.querySelectorAll('#drift-heatmap .ytick text')).map(t => {"
        " const b = t.getBoundingClientRect();"
        " return [t.textContent, b.left, b.right, b.top, b.bottom,"
        " parseFloat(getComputedStyle(t).fontSize)]; })"
    )
    assert {"x0", "x1", "x2"} <= {label[0] for label in labels}
    for _, left, right, _, _, size in labels:
        assert left >= 0 and right <= PHONE["width"] and size >= 10
    spans = sorted((top, bottom) for _, _, _, top, bottom, _ in labels)
    assert all(b[0] >= a[1] - 1 for a, b in zip(spans, spans[1:], strict=False))  # no overlap


# ---- 14: words, not codes ------------------------------------------------------------------


def test_pages_read_in_words(desk, server) -> None:  # noqa: F811
    desk.goto(server + "/")
    ready(desk)
    text = desk.locator("main").inner_text()
    assert not ISO.search(text) and not CODES.search(text), text
    assert "balanced accuracy" in text
    times = desk.evaluate(
        "Array.from(document.querySelectorAll('#view time')).map(t => [t.textContent, t.title])"
    )
    assert times and all(shown.endswith("ago") or shown == "just now" for shown, _ in times), times
    assert all(re.search(r"\d{1,2}:\d\d:\d\d", exact) for _, exact in times)  # exact on hover
    desk.goto(server + "/pipelines/sea")
    ready(desk)
    for tab in TABS:
        open_tab(desk, tab)
        text = desk.locator("main").inner_text()
        if tab != "logs":  # log lines are shown as written
            assert not CODES.search(text), (tab, CODES.search(text))
            assert not ISO.search(text), (tab, ISO.search(text))
        values = desk.locator(".kpi-value").all_inner_texts()
        assert not [v for v in values if re.fullmatch(r"\d{4,}", v)], values


def test_a_run_page_is_titled_by_file_and_time(desk, server) -> None:  # noqa: F811
    desk.goto(server + "/pipelines/sea")
    ready(desk)
    name = desk.locator("#runs-table tbody tr:first-child a").inner_text()
    desk.click("#runs-table tbody tr:first-child a")
    desk.wait_for_url("**/pipelines/sea/runs/*")
    ready(desk)
    title = desk.locator("h1").inner_text()
    assert title.startswith(name) and re.search(r"\d\d:\d\d UTC$", title), title
    assert name in desk.title() and name in desk.locator("header nav").inner_text()
    assert "balanced accuracy" in desk.locator("#run-metrics").inner_text()


def test_the_training_table_fits_a_desktop(desk, server, shots) -> None:  # noqa: F811
    desk.goto(server + "/pipelines/sea?tab=training")
    ready(desk)
    wrap = desk.locator("#training-table .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), wrap.evaluate(
        "w => [w.scrollWidth, w.clientWidth]"
    )
    assert desk.evaluate(SCROLL_WIDTH) <= DESKTOP["width"]
    desk.locator("#training-table").screenshot(path=str(shots / "sea-training-table.png"))


# ---- 15: history, empty filters, missing tabs ----------------------------------------------


def test_back_and_forward_move_between_tabs(desk, server) -> None:  # noqa: F811
    desk.goto(server + "/pipelines/sea")
    ready(desk)
    open_tab(desk, "data")
    open_tab(desk, "drift")
    assert desk.url.endswith("?tab=drift")

    def shown(tab: str) -> None:
        desk.wait_for_function(
            "t => document.getElementById('view').dataset.tab === t &&"
            " document.querySelector('.tabs .tab.active').dataset.tab === t &&"
            " !!document.querySelector(`#view [id^=${t}]`)",
            arg=tab,
        )

    desk.go_back()
    shown("data")
    assert desk.url.endswith("?tab=data")
    desk.go_back()
    shown("runs")
    desk.go_forward()
    shown("data")
    assert desk.url.endswith("?tab=data")


def test_an_empty_log_filter_says_no_line_matched(desk, server) -> None:  # noqa: F811
    desk.goto(server + "/pipelines/sea?tab=logs")
    ready(desk)
    assert not desk.locator(".log-empty").is_visible()
    desk.fill("input[name=q]", "no line has these words")
    desk.wait_for_selector(".log-empty:not([hidden])")
    assert "No line matched" in desk.locator(".log-empty").inner_text()
    assert desk.locator("pre.log .log-line").count() == 0
    desk.fill("input[name=q]", "")
    desk.wait_for_selector(".log-empty[hidden]", state="attached")
    assert desk.locator("pre.log .log-line").count() >= 1


def test_a_tab_the_pipeline_lacks_says_so(desk, server) -> None:  # noqa: F811
    desk.goto(server + "/pipelines/sea?tab=ipip")
    ready(desk)
    notice = desk.locator("#tab-missing").inner_text()
    assert "no “ipip” tab" in notice and "stream pipeline" in notice
    assert desk.locator(".tabs .tab.active").get_attribute("data-tab") == "runs"
    open_tab(desk, "data")
    assert desk.locator("#tab-missing").count() == 0


# ---- every tab, looked at ------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_screenshots_of_every_tab(browser, server, shots, viewport) -> None:  # noqa: F811
    context, page, errors = _page(browser, viewport)
    width = viewport["width"]
    pages = [("overview", "/")]
    pages += [(f"sea-{tab}", f"/pipelines/sea?tab={tab}") for tab in TABS]
    pages += [
        (f"ipipmonths-{tab}", f"/pipelines/ipipmonths?tab={tab}") for tab in ("blocks", "ipip")
    ]
    pages += [("reg-performance", "/pipelines/reg?tab=performance")]
    for label, path in pages:
        page.goto(server + path)
        ready(page)
        charts_drawn(page)
        assert page.evaluate(SCROLL_WIDTH) <= width, (label, page.evaluate(WIDER, width))
        page.screenshot(path=str(shots / f"{width}-{label}.png"), full_page=True)
    context.close()
    assert errors == [], errors
