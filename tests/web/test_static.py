"""The dashboards' static files are well formed (a lost brace in app.css silently drops
every rule after it, as a merge once did)."""

from __future__ import annotations

import re
from pathlib import Path

import calmops.web

STATIC = Path(calmops.web.__file__).parent / "static"


def test_every_css_block_is_closed() -> None:
    text = re.sub(r"/\*.*?\*/", "", (STATIC / "app.css").read_text(), flags=re.S)
    depth = 0
    for line_number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"app.css line {line_number}: a '}}' closes nothing"
    assert depth == 0, f"app.css ends with {depth} block(s) left open"
