"""The dashboards in a real browser: headless Chromium (Debian's package) driven by Playwright,
against a real uvicorn server on loopback serving a workspace with real runs.

Screenshots of every tab are saved under ``$CALMOPS_TEST_ARTIFACTS/web`` when that variable is
set, else under pytest's temporary folder (``web-screenshots``). Waits are on what the page
shows, never on time.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KEY = "browser-test-key"
WAIT_MS = 30_000
TABS = ["runs", "data", "drift", "performance", "models", "training", "logs"]

if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does)",
        allow_module_level=True,
    )
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
# a real Chromium against a real server, both started once for the module's tests
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def lab(built_once, tmp_path_factory):
    """A private copy of the session's workspace (these tests add runs and move aliases)."""
    return built_once.copy(tmp_path_factory.mktemp("browser") / "copy")


@pytest.fixture(scope="module")
def server(lab) -> Iterator[str]:
    import uvicorn

    from calmops.web.app import create_ui_app

    # the server gets the socket bound here: no other process can take the port meanwhile
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_ui_app(lab.settings(api_key=KEY), poll_seconds=1.0)
    config = uvicorn.Config(app, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    chosen = os.environ.get("CALMOPS_TEST_ARTIFACTS")
    folder = Path(chosen) / "web" if chosen else tmp_path_factory.mktemp("web-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ready(page) -> None:
    page.wait_for_selector("#view[data-ready=true]")


def plotted(page) -> list[int]:
    """How many data traces each drawn chart holds."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('#view .js-plotly-plot')).map(e => e.data.length)"
    )


def open_tab(page, tab: str) -> None:
    before = page.get_attribute("#view", "data-loaded") or ""
    page.click(f".tabs .tab[data-tab={tab}]")
    page.wait_for_function(
        "([tab, before]) => { const v = document.getElementById('view');"
        " return v.dataset.tab === tab && (v.dataset.loaded || '') !== before; }",
        arg=[tab, before],
    )


def test_overview_lists_every_pipeline(page, server, shots) -> None:
    page.goto(server + "/")
    ready(page)
    rows = page.locator("#overview-pipelines tbody tr")
    assert rows.count() == 8
    assert page.locator("#overview-pipelines").inner_text().count("last run failed") == 1
    assert "broken" in rows.first.inner_text()  # needing attention first
    assert page.locator("#overview-pipelines svg polyline").count() >= 2  # sparklines
    page.screenshot(path=str(shots / "overview.png"), full_page=True)
    page.click("#overview-pipelines a:text-is('sea')")
    page.wait_for_url("**/pipelines/sea")
    ready(page)
    assert page.locator("h1").inner_text() == "sea"


def test_the_api_is_documented_offline(page, server, shots) -> None:
    page.goto(server + "/")
    ready(page)
    page.click("footer a")
    page.wait_for_url("**/api/docs")
    assert page.locator("section.endpoint").count() >= 15
    assert "POST" in page.locator("#post--api-pipelines-name-models-rollback").inner_text()
    page.screenshot(path=str(shots / "api-docs.png"), full_page=True)


def test_every_tab_shows_its_charts(page, server, shots) -> None:
    page.goto(server + "/pipelines/sea")
    ready(page)
    assert page.locator(".tabs .tab").all_inner_texts() == [t.title() for t in TABS]
    for tab in TABS:
        open_tab(page, tab)
        expected = page.evaluate(
            "t => fetch(`/api/pipelines/sea/${t}`).then(r => r.json()).then(v => "
            "v.sections.filter(s => s.kind === 'figure' && s.figure).length)",
            tab,
        )
        page.wait_for_function(
            "n => document.querySelectorAll('#view .js-plotly-plot').length >= n", arg=expected
        )
        traces = plotted(page)
        assert len(traces) == expected and all(n > 0 for n in traces), (tab, traces)
        page.screenshot(path=str(shots / f"sea-{tab}.png"), full_page=True)
    assert page.url.endswith("?tab=logs")
    text = page.locator("pre.log").inner_text()
    assert "retrain" in text


def test_the_drift_tab_shows_prediction_and_label_drift(page, server, shots) -> None:
    page.goto(server + "/pipelines/sea?tab=drift")
    ready(page)
    page.wait_for_selector("#drift-target-history .js-plotly-plot")
    names = page.evaluate(
        "document.querySelector('#drift-target-history .js-plotly-plot').data.map(t => t.name)"
    )
    assert {"predictions: predicted class", "labels: label"} <= set(names)
    latest = page.locator("#drift-target").inner_text()
    assert "predicted share of class" in latest and "in the labels" in latest
    page.locator("#drift-target-history").screenshot(path=str(shots / "sea-drift-target.png"))


def test_performance_tab_draws_the_estimate_with_its_band(page, server, shots) -> None:
    page.goto(server + "/pipelines/sea?tab=performance")
    ready(page)
    open_tab(page, "performance")
    names = page.evaluate(
        "() => new Promise(done => { const look = () => { const plots = Array.from("
        "document.querySelectorAll('#view .js-plotly-plot')); const hit = plots.find(e => "
        "(e.data || []).some(t => (t.name || '').startsWith('estimated'))); "
        "hit ? done(hit.data.map(t => t.name)) : setTimeout(look, 100); }; look(); })"
    )
    assert "interval" in names and "realized" in names
    assert any(n.startswith("estimated (cbpe)") for n in names)
    page.screenshot(path=str(shots / "sea-performance-estimated.png"), full_page=True)


def test_a_run_page_explains_the_run(page, server, shots) -> None:
    page.goto(server + "/pipelines/sea")
    ready(page)
    page.click("#runs-table tbody tr:first-child a")
    page.wait_for_url("**/pipelines/sea/runs/*")
    ready(page)
    assert page.locator("#run-reason").inner_text()
    page.wait_for_function("document.querySelectorAll('#view .js-plotly-plot').length === 1")
    assert plotted(page) == [1]
    page.screenshot(path=str(shots / "sea-run.png"), full_page=True)


def test_block_and_ipip_tabs(page, server, shots) -> None:
    page.goto(server + "/pipelines/ipipmonths")
    ready(page)
    for tab in ("blocks", "ipip"):
        open_tab(page, tab)
        page.wait_for_function("document.querySelectorAll('#view .js-plotly-plot').length >= 2")
        assert all(n > 0 for n in plotted(page))
        page.screenshot(path=str(shots / f"ipipmonths-{tab}.png"), full_page=True)
    assert "2024-06" in page.locator("#view").inner_text()


def test_a_new_run_appears_without_a_reload(page, server, lab, shots, batches) -> None:
    page.goto(server + "/pipelines/sea")
    ready(page)
    rows = page.locator("#runs-table tbody tr")
    before = rows.count()
    page.evaluate("window.__sameDocument = true")
    lab.write(batches(8)[7], pipeline="sea")
    results = lab.run("sea")
    assert [r.status for r in results] == ["succeeded"]
    page.wait_for_function(
        "n => document.querySelectorAll('#runs-table tbody tr').length === n", arg=before + 1
    )
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    newest = rows.first.inner_text()
    assert Path(results[0].source).name in newest
    page.screenshot(path=str(shots / "sea-runs-after-new-run.png"), full_page=True)


def test_promote_and_roll_back_with_the_api_key(page, server, lab, shots) -> None:
    store = lab.workspace().store
    aliases = store.models.aliases("sea")
    champion, previous = aliases["champion"], aliases["previous"]
    page.goto(server + "/pipelines/sea?tab=models")
    ready(page)

    page.click("#models-actions button[data-action=rollback]")  # cancel changes nothing
    assert page.locator("#confirm").is_visible()
    page.click("#confirm-cancel")
    assert not page.locator("#confirm").is_visible()
    assert store.models.aliases("sea")["champion"] == champion

    page.click("#models-actions button[data-action=rollback]")
    assert f"Make v{previous} the champion" in page.locator("#confirm-text").inner_text()
    assert page.locator("#confirm-key").is_visible()
    page.fill("#confirm-key", "wrong")
    page.fill("#confirm-reason", "a test")
    page.click("#confirm-ok")
    page.wait_for_selector("#confirm-error:not([hidden])")
    assert "API key" in page.locator("#confirm-error").inner_text()
    assert store.models.aliases("sea")["champion"] == champion
    page.fill("#confirm-key", KEY)
    page.fill("#confirm-reason", "v3 overreacted to one batch")
    page.screenshot(path=str(shots / "sea-models-confirm.png"))
    page.click("#confirm-ok")
    page.wait_for_selector("#toast:not([hidden])")
    assert f"champion: v{champion} → v{previous}" in page.locator("#toast").inner_text()
    assert store.models.aliases("sea")["champion"] == previous
    page.wait_for_selector(f"#models-actions button:text-is('Roll back to v{champion}')")
    header = "v => document.getElementById('hdr-champion').textContent === 'v' + v"
    page.wait_for_function(header, arg=previous)  # the header follows without a reload

    page.click(f"#models-versions button:text-is('Promote v{champion}')")
    assert page.locator("#confirm-key").input_value() == KEY  # kept for this tab's session
    page.fill("#confirm-reason", "back to the retrained model")
    page.click("#confirm-ok")
    page.wait_for_selector(f"#toast:text-is('sea: champion: v{previous} → v{champion}, "
                           f"previous: v{champion} → v{previous}')")  # fmt: skip
    page.wait_for_function(header, arg=champion)
    assert store.models.aliases("sea")["champion"] == champion
    page.screenshot(path=str(shots / "sea-models-after-actions.png"), full_page=True)


def test_logs_filter_search_and_follow(page, server, lab) -> None:
    page.goto(server + "/pipelines/sea?tab=logs")
    ready(page)
    log = lab.home / "pipelines" / "sea" / "logs" / "pipeline.log"
    with log.open("a") as handle:
        handle.write("2026-01-01T00:00:00+0000 ERROR a line the browser must follow\n")
    page.wait_for_selector("pre.log .lvl-ERROR")
    page.select_option("select[name=level]", "ERROR")
    page.wait_for_function(
        "document.querySelectorAll('pre.log .log-line').length === "
        "document.querySelectorAll('pre.log .lvl-ERROR').length"
    )
    page.select_option("select[name=level]", "")
    page.fill("input[name=q]", "promoted")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('pre.log .log-line'))"
        ".every(l => l.textContent.includes('promoted'))"
    )
    assert page.locator("pre.log .log-line").count() >= 1
