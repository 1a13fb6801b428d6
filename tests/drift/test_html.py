from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from calmops.drift import compare
from calmops.drift.html import write_html


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts_with_src: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img") and (attrs.get("src") or attrs.get("href")):
            self.scripts_with_src.append(tag)
        self.rows += tag == "tr"


def test_html_report_is_self_contained(tmp_path):
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "<b>"], 500)})
    cur = pd.DataFrame({"x": rng.normal(1, size=500), "c": rng.choice(["a", "<b>"], 500)})
    path = write_html(compare(ref, cur, distributions=True), tmp_path / "r.html", title="T & T")
    page = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert parser.scripts_with_src == []  # nothing fetched: plotly.js is inline
    assert parser.rows == 3  # header + two columns
    assert "plotly.js v" in page and "T &amp; T" in page
    assert len(re.findall(r'<div id="plot-\d+">', page)) == 2
    assert (
        "&lt;b&gt;" not in page.split("const figures")[0] or "<b>" not in page.split("<tbody>")[1]
    )
