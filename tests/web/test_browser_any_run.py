"""Issue 18, items 7, 8 and 10 in a real browser: any batch on Data, Drift and Blocks (a
picker, heatmap columns and timeline points that open runs); performance over time as the
decision saw it; the model's class and hyperparameters; promote and roll back with a reason
and a warning shown before confirming. Screenshots at 1440 px."""

from __future__ import annotations

import pytest
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the module
    ARGS,
    CHROMIUM,
    KEY,
    WAIT_MS,
    browser,
    ready,
    server,
    shots,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def lab(built_once, tmp_path_factory, batches):
    """A private copy with two more batches: the second was trained on by no model."""
    copy = built_once.copy(tmp_path_factory.mktemp("browser-any") / "copy")
    fresh = batches(9)
    copy.write(fresh[7], pipeline="sea")
    copy.write(fresh[8], pipeline="sea")
    copy.run("sea")
    return copy


@pytest.fixture
def page(browser):  # noqa: F811 - 1440 px wide, as the screenshots are asked for
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def _runs(root: str, page, name: str) -> list[dict]:
    return page.evaluate(
        "u => fetch(u).then(r => r.json()).then(v => v.runs)", f"{root}/api/pipelines/{name}/runs"
    )


def _drawn(page, section: str) -> None:
    page.wait_for_selector(f"#{section} .js-plotly-plot .main-svg")


def _click_column(page, section: str, index: int) -> None:
    """A real mouse click in the middle of column ``index`` of a heatmap."""
    x, y = page.evaluate(
        "([s, i]) => { const gd = document.querySelector(`#${s} .js-plotly-plot`);"
        " const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;"
        " const box = gd.getBoundingClientRect();"
        " return [box.left + xa._offset + xa.l2p(i), box.top + ya._offset + ya._length / 2]; }",
        [section, index],
    )
    page.mouse.click(x, y)


def test_drift_shows_any_run_by_picker_and_by_heatmap(page, server, shots) -> None:  # noqa: F811
    page.goto(server + "/pipelines/sea?tab=drift")
    ready(page)
    runs = _runs(server, page, "sea")
    options = page.locator("#drift-run select option")
    assert options.count() >= 5
    chosen = runs[3]
    page.select_option("#drift-run select", chosen["id"])
    page.wait_for_function(
        "id => document.querySelector('#drift-run select')?.value === id"
        " && document.getElementById('view').dataset.run === id",
        arg=chosen["id"],
    )
    page.wait_for_selector(f"#drift-kpis:has-text('{chosen['file']}')")
    assert f"run={chosen['id']}" in page.url
    _drawn(page, "drift-heatmap")
    page.screenshot(path=str(shots / "sea-drift-chosen-run.png"), full_page=True)

    _click_column(page, "drift-heatmap", 0)  # the oldest tested run
    page.wait_for_url("**/pipelines/sea?tab=drift&run=*")
    ready(page)
    oldest = page.locator("#drift-run select").input_value()
    assert oldest in page.url and oldest != chosen["id"]
    framed = page.evaluate(
        "document.querySelector('#drift-heatmap .js-plotly-plot').layout.shapes.length"
    )
    assert framed == 1

    open_data = page.locator(".tabs .tab[data-tab=data]")
    open_data.click()  # the run stays chosen on the Data tab
    page.wait_for_selector(f"#data-run select option[value='{oldest}'][selected]", state="attached")
    assert page.locator("#data-run select").input_value() == oldest
    assert f"tab=data&run={oldest}" in page.url


def test_an_unknown_run_is_a_clear_404(page, server) -> None:  # noqa: F811
    answer = page.goto(server + "/pipelines/sea?tab=drift&run=nope")
    assert answer.status == 404
    assert "no run 'nope' in pipeline 'sea'" in page.locator("main").inner_text()


def test_a_timeline_point_opens_its_run_with_drift_and_blocks(page, server, shots) -> None:  # noqa: F811
    page.goto(server + "/pipelines/sea")
    ready(page)
    _drawn(page, "runs-timeline")
    newest = _runs(server, page, "sea")[0]
    point = page.locator("#runs-timeline .scatterlayer .point").last
    point.wait_for()
    # the newest run is the rightmost point: click the point furthest right
    x, y = page.evaluate(
        "() => { const pts = Array.from(document.querySelectorAll("
        "'#runs-timeline .scatterlayer .point')).map(p => p.getBoundingClientRect());"
        " const p = pts.reduce((a, b) => (b.left > a.left ? b : a));"
        " return [p.left + p.width / 2, p.top + p.height / 2]; }"
    )
    page.mouse.click(x, y)
    page.wait_for_url(f"**/pipelines/sea/runs/{newest['id']}")
    ready(page)
    rows = page.locator("#run-drift tbody tr")
    assert rows.count() == 3 and rows.first.inner_text().startswith("x0")
    page.screenshot(path=str(shots / "sea-run-with-drift.png"), full_page=True)

    months = _runs(server, page, "months")
    page.goto(f"{server}/pipelines/months/runs/{months[-1]['id']}")
    ready(page)
    assert page.locator("#run-blocks tbody tr").count() == 3
    page.click("#run-facts a:text-is('open') >> nth=-1")  # the blocks tab of this batch
    page.wait_for_url(f"**/pipelines/months?tab=blocks&run={months[-1]['id']}")
    ready(page)
    assert "2024-01" in page.locator("#blocks-latest").inner_text()
    page.screenshot(path=str(shots / "months-blocks-older-run.png"), full_page=True)


def test_performance_over_time_as_the_decision_saw_it(page, server, shots) -> None:  # noqa: F811
    page.goto(server + "/pipelines/sea")
    ready(page)
    _drawn(page, "runs-metric")
    names = page.evaluate(
        "document.querySelector('#runs-metric .js-plotly-plot').data.map(t => t.name)"
    )
    assert {"99% interval the decision used", "champion's baseline", "tolerance",
            "balanced accuracy", "signal fired", "retrained", "promoted"} <= set(names)  # fmt: skip
    legend = page.locator("#runs-metric .legend").text_content()
    assert "99% interval the decision used" in legend and "tolerance" in legend
    lanes = " ".join(page.locator("#runs-metric .yaxislayer-above").all_text_contents())
    assert "promoted" in lanes and "retrained" in lanes and "signal fired" in lanes
    x, y = page.evaluate(
        "() => { const gd = document.querySelector('#runs-metric .js-plotly-plot');"
        " const t = gd.data.find(d => d.name === 'balanced accuracy');"
        " const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;"
        " const box = gd.getBoundingClientRect();"
        " return [box.left + xa._offset + xa.d2p(t.x[0]), box.top + ya._offset + ya.d2p(t.y[0])]; }"
    )
    page.mouse.move(x, y)
    page.wait_for_selector("#runs-metric .hoverlayer .hovertext")
    assert page.locator("#runs-metric .hoverlayer").text_content().startswith("run ")
    page.locator("#runs-metric").screenshot(path=str(shots / "sea-runs-metric.png"))

    page.goto(server + "/pipelines/sea?tab=drift")
    ready(page)
    _drawn(page, "drift-feature")
    names = page.evaluate(
        "document.querySelector('#drift-feature .js-plotly-plot').data.map(t => t.name)"
    )
    assert "threshold" in names and "Wasserstein (effect size)" in names
    page.locator("#drift-feature").screenshot(path=str(shots / "sea-drift-feature-history.png"))


def test_models_show_hyperparameters_and_moves_need_a_reason(page, server, lab, shots) -> None:  # noqa: F811
    store = lab.workspace().store
    champion = store.models.aliases("sea")["champion"]
    page.goto(server + "/pipelines/sea?tab=models")
    ready(page)
    page.click("#models-cards details >> nth=0")
    card = page.locator("#models-cards details >> nth=0").inner_text()
    assert "DecisionTreeClassifier" in card
    assert "max_depth=6" in card and "random_state=0" in card

    page.click("#models-versions button:text-is('Promote v1')")
    page.wait_for_selector("#confirm-warning:not([hidden])")
    warning = page.locator("#confirm-warning").inner_text()
    assert warning.startswith("Warning: v1 scored") and "worse there" in warning
    page.fill("#confirm-key", KEY)
    page.click("#confirm-ok")  # no reason: refused in the page, nothing sent
    page.wait_for_selector("#confirm-error:not([hidden])")
    assert "Say why" in page.locator("#confirm-error").inner_text()
    assert store.models.aliases("sea")["champion"] == champion
    page.fill("#confirm-reason", "checking the old concept by hand")
    page.locator("#confirm").screenshot(path=str(shots / "sea-models-promote-warning.png"))
    page.click("#confirm-ok")
    page.wait_for_selector("#toast:not([hidden])")
    assert "warning: v1 scored" in page.locator("#toast").inner_text()
    assert store.models.aliases("sea")["champion"] == 1
    last = store.models.history("sea")[-1]
    assert last.reason.endswith(": checking the old concept by hand")
    page.wait_for_selector("#models-history:has-text('checking the old concept by hand')")
    page.screenshot(path=str(shots / "sea-models-after-reasoned-promote.png"), full_page=True)
