"""DriftReport read back from its JSON, as a DataFrame, as an HTML page and in a notebook."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.drift import DriftReport, compare
from calmops.drift.tabular import FRAME_COLUMNS


@pytest.fixture(scope="module")
def report() -> DriftReport:
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(
        {
            "x": rng.normal(size=3000),
            "y": rng.normal(size=3000),
            "c": rng.choice(["a", "b"], 3000),
            "g": np.where(rng.random(3000) < 0.1, np.nan, 1.0),
        }
    )
    cur = ref.assign(x=rng.normal(0.6, size=3000), c=rng.choice(["a", "b"], 3000, p=[0.8, 0.2]))
    return compare(ref, cur, distributions=True, multivariate=("mmd",), seed=0)


def test_from_dict_reads_back_every_section(report: DriftReport) -> None:
    back = DriftReport.from_dict(report.to_dict())
    assert back.to_dict() == report.to_dict()
    assert back.drifted == report.drifted and "x" in report.drifted
    for name, feature in report.features.items():
        again = back.features[name]
        assert (again.verdict, again.significant, again.material) == (
            feature.verdict,
            feature.significant,
            feature.material,
        )
    assert back.multivariate["mmd"].drift == report.multivariate["mmd"].drift
    assert DriftReport.from_dict({}).to_dict()["n_tested"] == 0


def test_to_frame_has_one_row_per_tested_column(report: DriftReport) -> None:
    frame = report.to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS) and frame.index.name == "column"
    assert sorted(frame.index) == sorted(report.features)
    assert sorted(frame.index[frame["drift"]]) == sorted(report.drifted)
    x = report.features["x"]
    assert frame.loc["x", "statistic"] == pytest.approx(x.statistic)
    assert x.p_value is None and np.isnan(frame.loc["x", "p_value"])  # a distance: no p
    assert frame.loc["x", "effect_size"] == pytest.approx(x.effect_size)
    assert frame.loc["x", "verdict"] == x.verdict.value and frame.loc["y", "verdict"] == "no_drift"
    assert frame["statistic"].dtype == float


def test_save_html_writes_a_self_contained_page(report: DriftReport, tmp_path: Path) -> None:
    written = report.save_html(str(tmp_path / "r.html"), title="nightly <check>")
    assert written == tmp_path / "r.html"
    page = written.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script src=" not in page
    assert "nightly &lt;check&gt;" in page and page.count('<div id="plot-') == 4


def test_the_notebook_view_is_a_small_scoped_fragment(report: DriftReport) -> None:
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="calmops-report">') and "<script" not in fragment
    assert "body{" not in fragment  # it does not restyle the notebook around it
    assert len(fragment) < 20_000
    assert html_rows(fragment) == len(report.features)
    assert fragment.index(">x<") < fragment.index(">y<")  # drifted columns first
    assert html.escape(report.reason) in fragment


def html_rows(fragment: str) -> int:
    return fragment.count("<tr><td>")
