"""A pipeline's header: what it is, its state, its tabs, and the token the page polls.

The page asks for this every few seconds; when ``token`` changes (a new run, a run that
finished, an alias moved, the breaker or the state changed) it reloads the open tab.
"""

from __future__ import annotations

from typing import Any

from calmops.pipeline.attention import current_attention
from calmops.web.format import when
from calmops.web.reader import Reader
from calmops.web.views import TABS
from calmops.web.views.common import run_brief

__all__ = ["build_status", "tabs_for"]


def tabs_for(kind: str) -> list[dict[str, str]]:
    """The tabs a pipeline of ``kind`` shows.

    >>> [t["tab"] for t in tabs_for("stream")]
    ['runs', 'data', 'drift', 'performance', 'models', 'training', 'logs']
    >>> "ipip" in [t["tab"] for t in tabs_for("ipip")]
    True
    """
    return [{"tab": n, "title": t} for n, t, kinds in TABS if kinds is None or kind in kinds]


def build_status(reader: Reader, name: str, *, api_key_required: bool = False) -> dict[str, Any]:
    """The header dict of pipeline ``name``."""
    record = reader.pipeline(name)
    runs = reader.runs(name, limit=1)
    aliases = reader.aliases(name)
    breaker = reader.ws.store.state.breaker(name)
    state = reader.state(name)
    last = runs[0] if runs else None
    data_dir = (record.spec.get("data") or {}).get("dir")
    attention = current_attention(reader.ws.store, name)
    return {
        "name": name,
        "kind": record.kind,
        "trigger": record.trigger,
        "state": state,
        "description": record.spec.get("description") or "",
        "data_dir": str(data_dir) if data_dir else None,
        "aliases": aliases,
        "champion": aliases.get("champion"),
        "breaker": {
            "state": breaker.state,
            "failures": breaker.failures,
            "retry_at": when(breaker.retry_at),
        },
        "last_run": run_brief(last),
        "attention": attention,
        "tabs": tabs_for(record.kind),
        "api_key_required": api_key_required,
        "token": ":".join(
            str(x)
            for x in (
                last.id if last else "",
                last.status if last else "",
                sorted(aliases.items()),
                breaker.state,
                breaker.failures,
                state,
                len(attention),
            )
        ),
    }


def empty_runs_text(status_or_spec: dict[str, Any], name: str) -> str:
    """What to do when a pipeline has no runs yet."""
    data = status_or_spec.get("data") or {}
    folder = data.get("dir") if isinstance(data, dict) else status_or_spec.get("data_dir")
    folder = folder or status_or_spec.get("data_dir") or "its data folder"
    return f"No runs yet: drop a file into {folder} or run `calmops run {name} --once`."
