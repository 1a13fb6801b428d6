"""How `calmops report` says where late labels came from."""

from __future__ import annotations

from types import SimpleNamespace

from calmops.cli.report_estimation import _late


def late(source: str) -> SimpleNamespace:
    return SimpleNamespace(
        labels_file=source, matched=40, logged=50, key=["request_id"], at="2026-12-05T08:00:00"
    )


def test_a_labels_file_is_named_by_its_file_name() -> None:
    text = _late(late("/data/in/labels.parquet"))
    assert text.startswith("realized from labels.parquet (40 of 50 rows labelled, by request_id")


def test_served_feedback_keeps_its_description_whole() -> None:
    text = _late(late("feedback (POST /feedback)"))
    assert text.startswith("realized from feedback (POST /feedback) (40 of 50 rows")
