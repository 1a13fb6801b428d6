from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from calmops.data_generators import EvaluationReport, evaluate
from calmops.data_generators.evaluation import HEADLINES


@pytest.fixture(scope="module")
def report(tables) -> EvaluationReport:
    return evaluate(tables["train"], tables["independent"], tables["holdout"], "segment", seed=0)


def test_to_dict_has_the_headline_keys_as_numbers_and_the_details(report):
    data = report.to_dict()
    assert set(data) == {"fidelity", "detection", "utility", "privacy", "rows", "seed"}
    for key in HEADLINES:
        section, name = key.split(".")
        assert isinstance(data[section][name], float), key
    assert set(data["fidelity"]["columns"]) == {
        "x",
        "income",
        "visits",
        "segment",
        "member",
        "joined",
    }
    assert data["fidelity"]["columns"]["member"] == {
        "kind": "categorical",
        "metric": "tv",
        "statistic": pytest.approx(1 - data["fidelity"]["columns"]["member"]["score"]),
        "score": data["fidelity"]["columns"]["member"]["score"],
    }
    assert len(data["fidelity"]["pairs"]) == 15
    assert data["privacy"]["holdout_exact_copies"] == 0.0
    assert data["rows"] == {"real": 2000, "synthetic": 2000, "holdout": 2000}
    assert json.loads(json.dumps(data)) == data
    assert report.headline()["utility.tstr"] == data["utility"]["tstr"]


def test_without_holdout_the_holdout_numbers_are_none(tables):
    data = evaluate(tables["train"], tables["independent"]).to_dict()
    assert data["utility"]["trtr"] is None and data["utility"]["tstr"] is None
    assert data["privacy"]["dcr_closer_to_train"] is None
    assert isinstance(data["privacy"]["dcr_5th_percentile"], float)


def test_same_seed_same_report(tables, report):
    again = evaluate(tables["train"], tables["independent"], tables["holdout"], "segment", seed=0)
    assert again.to_dict() == report.to_dict()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetching: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img", "iframe") and (attrs.get("src") or attrs.get("href")):
            self.fetching.append(tag)
        self.rows += tag == "tr"


def test_the_html_page_is_self_contained_and_written_atomically(report, tmp_path):
    path = report.save_html(tmp_path / "report.html", title="Synth <&> test")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left
    page = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert parser.fetching == []
    # outside the inlined plotly.js bundle, no address at all
    ours = re.sub(r"<script>/\*\*\s*\* plotly\.js.*?</script>", "", page, flags=re.S)
    assert len(ours) < 100_000 < len(page)
    assert not re.search(r"https?://", ours)
    assert "Synth &lt;&amp;&gt; test" in page
    assert parser.rows == 1 + 8 + 1 + 6 + 1 + 10  # headlines, columns, worst pairs
    assert len(re.findall(r'<div id="plot-\d+">', page)) == 6
    assert '<div id="pairs-heatmap">' in page
