"""The alerts page in a real browser: headless Chromium driven by Playwright against a real
uvicorn server on loopback (see ``test_browser.py``), screenshots at 1440 and 390 px."""

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

if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium`", allow_module_level=True
    )
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def server(built_once, tmp_path_factory) -> Iterator[str]:
    import uvicorn

    from calmops.web.app import create_ui_app

    lab = built_once.copy(tmp_path_factory.mktemp("browser-alerts") / "copy")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    instance = uvicorn.Server(uvicorn.Config(create_ui_app(lab.settings()), log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    instance.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    chosen = os.environ.get("CALMOPS_TEST_ARTIFACTS")
    folder = Path(chosen) / "web" if chosen else tmp_path_factory.mktemp("web-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


def rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#alerts-table tbody tr",
        "trs => trs.map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))",
    )


def test_alerts_from_the_nav_filtered_and_linked(browser, server, shots) -> None:
    context, page, errors = open_page(browser, 1440)
    page.goto(server + "/")
    page.wait_for_selector("#view[data-ready=true]")
    page.click("#nav-alerts")
    page.wait_for_selector("#alerts-table")
    api = page.request.get(server + "/api/alerts").json()
    shown = rows(page)
    assert len(shown) == min(api["total"], 50)
    assert [r[1] for r in shown] == [a["pipeline"] for a in api["alerts"]]
    assert "T" not in shown[0][0]  # a local time, not the raw ISO text
    page.screenshot(path=str(shots / "alerts-1440.png"), full_page=True)

    page.select_option("#alerts-pipeline", "sea")  # the form submits on change
    page.wait_for_url("**/alerts?pipeline=sea*")
    assert {r[1] for r in rows(page)} == {"sea"}
    assert "data drift" in {r[3] for r in rows(page)}

    page.select_option("#alerts-pipeline", "")
    page.wait_for_url("**/alerts?pipeline=&*")
    page.select_option("#alerts-kind", "failed")
    page.wait_for_url("**kind=failed*")
    [failed] = rows(page)
    assert failed[1] == "broken" and failed[2] == "run failed"
    assert failed[4].startswith("bad.csv:")
    page.screenshot(path=str(shots / "alerts-failed-1440.png"), full_page=True)
    page.click("#alerts-table tbody tr td:last-child a")
    page.wait_for_url("**/pipelines/broken/runs/**")
    page.wait_for_selector("#view[data-ready=true]")
    assert "failed" in page.inner_text("#view")
    context.close()
    assert errors == [], errors


def test_alerts_on_a_phone(browser, server, shots) -> None:
    context, page, errors = open_page(browser, 390)
    page.goto(server + "/alerts?pipeline=sea")
    page.wait_for_selector("#alerts-table")
    assert page.is_visible("#alerts-kind") and page.is_visible("#nav-alerts")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    detail = page.locator("#alerts-table tbody tr").first.locator("td").nth(4)
    assert detail.is_visible() and "features drifted" in detail.inner_text()
    page.screenshot(path=str(shots / "alerts-390.png"), full_page=True)
    context.close()
    assert errors == [], errors
