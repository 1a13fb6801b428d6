"""One router per resource: pages (HTML), overview, pipelines (tabs), models (and actions),
logs, and assets (plotly.js from the installed package)."""

from __future__ import annotations

__all__: list[str] = []
