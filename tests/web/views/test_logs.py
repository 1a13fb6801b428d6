"""The Logs tab dict: level filter, text search, follow by offset, paths redacted."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.logs import build_logs, read_tail


def test_lines_levels_and_search(reader) -> None:
    lines = find(build_logs(reader, "sea"), "logs-lines")["lines"]
    assert len(lines) >= 6 and all(line["level"] == "INFO" for line in lines)
    assert lines[0]["at"].endswith("+00:00")
    found = find(build_logs(reader, "sea", q="RETRAINING"), "logs-lines")["lines"]
    assert found and all("retraining" in line["message"].lower() for line in found)
    assert find(build_logs(reader, "sea", level="error"), "logs-lines")["lines"] == []


def test_follow_returns_only_new_lines(own) -> None:
    from calmops.web.reader import Reader

    reader = Reader(own.workspace())
    first = build_logs(reader, "sea")
    path = reader.paths("sea").logs / "pipeline.log"
    with path.open("a") as log:
        log.write("2026-01-01T00:00:00+0000 WARNING something new\n2026-01-01T00:00:01+0000 INF")
    more = build_logs(reader, "sea", after=first["offset"])
    assert [line["message"] for line in find(more, "logs-lines")["lines"]] == ["something new"]
    with path.open("a") as log:
        log.write("O the rest\n")
    rest = build_logs(reader, "sea", after=more["offset"])
    assert [line["message"] for line in find(rest, "logs-lines")["lines"]] == ["the rest"]
    assert read_tail(path, after=10**9)[1] == path.stat().st_size  # a rotated log restarts


def test_workspace_paths_are_redacted_and_empty_state(reader, built) -> None:
    messages = " ".join(
        line["message"] for line in find(build_logs(reader, "broken"), "logs-lines")["lines"]
    )
    assert str(built.home) not in messages
    assert "No log yet" in find(build_logs(reader, "fresh"), "logs-empty")["text"]
