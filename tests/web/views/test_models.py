"""The Models tab dict: versions, aliases, actions, lineage, history, cards."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.models import build_models


def test_versions_aliases_and_actions(reader) -> None:
    view = build_models(reader, "sea")
    aliases = reader.aliases("sea")
    champion = aliases["champion"]
    versions = {v["version"]: v for v in view["versions"]}
    assert "champion" in versions[champion]["aliases"]
    table = find(view, "models-versions")
    assert table["columns"][-1] == "action"
    by_version = {row[0]: row[-1] for row in table["rows"]}
    assert by_version[f"v{champion}"] == {"badge": "champion", "tone": "ok"}
    other = next(row[-1] for row in table["rows"] if row[0] != f"v{champion}")
    assert other["action"] == "promote" and other["url"].endswith("/promote")
    assert "Make v" in other["confirm"]
    rollback = find(view, "models-actions")["items"]
    assert rollback[0]["action"] == "rollback"
    assert rollback[0]["label"] == f"Roll back to v{aliases['previous']}"


def test_lineage_history_and_cards(reader) -> None:
    view = build_models(reader, "sea")
    n = len(view["versions"])
    nodes = find(view, "models-lineage")["figure"]["data"][1]
    assert nodes["x"] == list(range(1, n + 1))
    assert max(nodes["y"]) == n - 1  # each retrained version is the child of the one before
    history = find(view, "models-history")["rows"]
    assert history[-1][1] == "champion" and history[-1][2] == "none"
    cards = find(view, "models-cards")["items"]
    assert len(cards) == n
    fields = dict(cards[-1]["fields"])
    assert fields["task"] == "classification" and fields["features"].startswith("x0 (numeric)")


def test_no_models_yet(reader) -> None:
    assert "No models yet" in find(build_models(reader, "fresh"), "models-empty")["text"]
