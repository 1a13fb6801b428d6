"""Time to content of every dashboard page in Chromium, on the 50-pipeline workspace (issue 18).

Targets: usable content (the page's tables and numbers shown, its script wired) at most 1 s
on every page; charts drawn at most 2 s.

The workspace is the one ``ui_bench.py`` seeds (50 pipelines x 1,000 runs). A real uvicorn
server on loopback serves it; headless Chromium (Debian's package) driven by Playwright opens
each page: the overview, a pipeline on each of its tabs (``?tab=``) and a run page. For each
page it reads, from the page's own clock (milliseconds since the navigation started):

- ``paint``: the first contentful paint;
- ``content``: the page ready (``#view[data-ready=true]``: tables shown, script wired);
- ``charts``: every chart of the page drawn (as many plotly plots as the page has figures).

The page marks both moments itself (``performance.mark``); a page without the marks (before
issue 18) is read by polling on every animation frame, which can only be later.

A page is opened once in a fresh browser context (nothing cached), then ``REPEAT`` times in
that context (plotly.js cached, as a user moving between pages has it); the table shows the
cold figure and the median of the warm ones. Run: ``python benchmarks/ui_page_bench.py``.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ui_bench import PIPELINES, RUNS, populate, seed  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPEAT = 3
TABS = ["runs", "data", "drift", "performance", "models", "training", "logs"]
NOW = "() => performance.now()"
FIGURES = (
    "() => { const d = document.getElementById('view-data');"
    " const v = d ? JSON.parse(d.textContent) : {sections: []};"
    " return v.sections.filter(s => s.kind === 'figure' && s.figure).length; }"
)
MARK = "name => (performance.getEntriesByName(name)[0] || {startTime: null}).startTime"
PAINT = (
    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: null})"
    ".startTime"
)


def serve(settings):
    """A uvicorn server on a loopback socket in a thread; returns (url, stop)."""
    import uvicorn

    from calmops.web.app import create_ui_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_ui_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()

    return f"http://127.0.0.1:{sock.getsockname()[1]}", stop


def visit(page, url: str) -> tuple[float | None, float, float | None]:
    """(paint, content, charts) in ms since navigation start; charts None without figures.

    The page's own marks (``calmops-ready``, ``calmops-charts``) when it sets them, else the
    moment a poll on every animation frame saw the page ready or its charts drawn.
    """
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "() => !!document.querySelector('#view[data-ready=true]')", polling="raf"
    )
    content = page.evaluate(MARK, "calmops-ready") or page.evaluate(NOW)
    expected = page.evaluate(FIGURES)
    charts = None
    if expected:
        page.wait_for_function(
            "n => document.querySelectorAll('#view .js-plotly-plot').length >= n",
            arg=expected,
            polling="raf",
        )
        charts = page.evaluate(NOW)
        if page.evaluate(MARK, "calmops-ready") is not None:
            page.wait_for_function(f"() => {MARK}('calmops-charts') !== null")
            charts = page.evaluate(MARK, "calmops-charts")
    return page.evaluate(PAINT), content, charts


def measure(browser, url: str) -> dict[str, float | None]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    cold = visit(page, url)
    warm = [visit(page, url) for _ in range(REPEAT)]
    context.close()

    def median(i: int) -> float | None:
        values = [w[i] for w in warm if w[i] is not None]
        return statistics.median(values) if values else None

    return {
        "paint": cold[0], "content": cold[1], "charts": cold[2],
        "paint_warm": median(0), "content_warm": median(1), "charts_warm": median(2),
    }  # fmt: skip


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="calmops-ui-page-bench-"))
    started = time.perf_counter()
    ws, spec = seed(root)
    populate(ws, spec)
    print(f"seeded {PIPELINES} pipelines x {RUNS} runs in {time.perf_counter() - started:.1f} s")
    url, stop = serve(ws.settings)
    pages = [("overview", "/")]
    pages += [(f"pipeline, {tab} tab", f"/pipelines/p25?tab={tab}") for tab in TABS]
    pages.append(("run page", f"/pipelines/p25/runs/p25-{RUNS - 1:05d}"))
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for label, path in pages:
                rows.append((label, path, measure(browser, url + path)))
            browser.close()
    finally:
        stop()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"load average {load}\n"
    )
    print("| page | first paint ms | content ms | charts ms | warm: paint | content | charts |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, path, m in rows:
        print(
            f"| {label} `{path}` | {ms(m['paint'])} | {ms(m['content'])} | {ms(m['charts'])} "
            f"| {ms(m['paint_warm'])} | {ms(m['content_warm'])} | {ms(m['charts_warm'])} |"
        )
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
