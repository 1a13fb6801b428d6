"""The Logs tab: the tail of ``logs/pipeline.log``, a level filter, text search and follow.

Only the last :data:`TAIL_BYTES` of the log are read; a page follows the log by asking for
what was written after ``offset`` (a byte position; a rotated log starts again at 0).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from calmops.web.format import when
from calmops.web.reader import Reader
from calmops.web.sections import notice, tab
from calmops.web.views.common import redact

__all__ = ["LEVELS", "build_logs", "parse_line", "read_tail"]

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TAIL_BYTES = 256 * 1024
MAX_LINES = 500
_LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}) (?P<level>[A-Z]+) (?P<msg>.*)$"
)


def parse_line(line: str) -> dict[str, Any]:
    """One log line as ``{at, level, message}``; lines of another shape keep level INFO.

    >>> parse_line("2026-01-02T03:04:05+0000 WARNING disk almost full")
    {'at': '2026-01-02T03:04:05+00:00', 'level': 'WARNING', 'message': 'disk almost full'}
    >>> parse_line("  continued")["level"]
    'INFO'
    """
    found = _LINE.match(line)
    if not found:
        return {"at": None, "level": "INFO", "message": line}
    at = found["at"]
    return {"at": when(at[:-2] + ":" + at[-2:]), "level": found["level"], "message": found["msg"]}


def read_tail(path: Path, after: int | None = None) -> tuple[list[str], int]:
    """Lines of ``path`` written after byte ``after`` (or its last TAIL_BYTES), and the end."""
    try:
        size = path.stat().st_size
    except OSError:
        return [], 0
    start = max(0, size - TAIL_BYTES) if after is None or after > size else after
    with path.open("rb") as handle:
        handle.seek(start)
        chunk = handle.read(size - start)
    text = chunk.decode("utf-8", errors="replace")
    if start > 0 and after is None:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    end = start + len(chunk)
    if not text.endswith("\n"):  # keep a half-written last line for the next read
        cut = text.rfind("\n") + 1
        end -= len(text[cut:].encode("utf-8"))
        text = text[:cut]
    return [line for line in text.split("\n") if line], end


def build_logs(
    reader: Reader,
    name: str,
    *,
    base: str = "",
    level: str = "",
    q: str = "",
    after: int | None = None,
) -> dict[str, Any]:
    """The Logs tab of pipeline ``name``: lines at ``level`` or above containing ``q``."""
    reader.pipeline(name)
    path = reader.paths(name).logs / "pipeline.log"
    lines, offset = read_tail(path, after)
    floor = LEVELS.index(level.upper()) if level.upper() in LEVELS else 0
    needle = q.lower()
    home = reader.ws.home
    parsed = []
    for line in lines:
        entry = parse_line(line)
        entry["message"] = redact(entry["message"], home)
        rank = LEVELS.index(entry["level"]) if entry["level"] in LEVELS else 1
        if rank >= floor and (not needle or needle in entry["message"].lower()):
            parsed.append(entry)
    parsed = parsed[-MAX_LINES:]
    section = {
        "id": "logs-lines",
        "kind": "logs",
        "title": "pipeline.log",
        "lines": parsed,
        "levels": list(LEVELS),
        "level": level.upper() if level.upper() in LEVELS else "",
        "q": q,
        "offset": offset,
        "url": f"{base}/api/pipelines/{name}/logs",
        "empty": "" if parsed or after is not None else _nothing(bool(lines), level, q),
    }
    sections = [section]
    if not path.exists() and after is None:
        sections.insert(
            0,
            notice(
                "logs-empty",
                f"No log yet: the first run writes logs/pipeline.log "
                f"(`calmops run {name} --once`).",
            ),
        )
    return tab("logs", "Logs", sections, offset=offset)


def _nothing(read: bool, level: str, q: str) -> str:
    """What an empty list of lines means: the filter matched nothing, or the log is empty.

    >>> _nothing(True, "error", "timeout")
    'No line matched: level ERROR or above containing “timeout”.'
    >>> _nothing(False, "", "")
    'The log has no line yet.'
    """
    chosen = level.upper() if level.upper() in LEVELS else ""
    if not read or not (chosen or q):
        return "The log has no line yet." if not read else "No line matched."
    what = [f"level {chosen} or above"] if chosen else []
    if q:
        what.append(f"containing “{q}”")
    return "No line matched: " + " ".join(what) + "."
