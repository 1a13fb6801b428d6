"""A run report as a DataFrame, an HTML page and a notebook view, from a real run."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from calmops.pipeline.report import RunReport
from calmops.pipeline.report_html import render_run_fragment

from .test_report import BLOCK_REPORT


@pytest.fixture
def retrained(lab, sea) -> RunReport:
    """The report of a run that retrained after drift (and so tested every feature)."""
    lab.create()
    for frame in sea(2, size=600, drift_at=1):
        lab.write(frame)
    lab.run()
    latest = lab.runs()[0]
    assert latest.decision == "retrain"
    return RunReport.from_dict(lab.ws.store.runs.get("demo", latest.id).report)


def test_to_frame_is_the_drift_of_the_run(retrained: RunReport) -> None:
    frame = retrained.to_frame()
    assert sorted(frame.index) == sorted(retrained.drift["features"])
    assert frame.equals(retrained.drift_report.to_frame())
    assert RunReport(run_id="r", pipeline="p", status="failed").to_frame().empty
    assert RunReport(run_id="r", pipeline="p", status="failed").drift_report is None


def test_the_page_says_what_the_run_did(retrained: RunReport, tmp_path: Path) -> None:
    written = retrained.save_html(str(tmp_path / "run.html"))
    page = written.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert html.escape(retrained.decision.reason) in page
    assert f">{retrained.decision.kind.value}</span>" in page
    for name, signal in retrained.signals.items():
        assert f"<td>{name}</td>" in page and html.escape(signal.summary) in page
    for feature in retrained.drift["features"]:
        assert f"<td>{feature}</td>" in page
    assert retrained._repr_html_() in page


def test_the_fragment_shows_challengers_attention_notes_and_escapes() -> None:
    data = {**BLOCK_REPORT, "attention": ["look <here>"], "error": None}
    fragment = render_run_fragment(RunReport.from_dict(data))
    assert "v2</b> (window, trained on the last 600 rows) — promoted" in fragment
    assert "look &lt;here&gt;" in fragment and "champion: v1 → v2" in fragment
    assert "1 block(s) with fewer than 30 rows get no drift test" in fragment
    assert "learn 1.20 s" in fragment
    failed = render_run_fragment(
        RunReport(run_id="r", pipeline="p", status="failed", error="bad <file>")
    )
    assert "bad &lt;file&gt;" in failed and "no champion yet" in failed
