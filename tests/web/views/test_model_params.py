"""The Models tab names each version's estimator class and hyperparameters, and its buttons
ask the check endpoint before confirming."""

from __future__ import annotations

from calmops.models.registry import ModelRegistry
from calmops.web.sections import find
from calmops.web.views.models import build_models


def test_class_and_hyperparameters_from_the_card(reader) -> None:
    view = build_models(reader, "sea")
    ws = reader.ws
    registry = ModelRegistry(ws.store, "sea", ws.paths("sea").models)
    for entry in view["versions"]:
        model = registry.load(registry.get(entry["version"])).steps[-1][1]  # the final step
        assert entry["model"]["class"] == "sklearn.tree._classes.DecisionTreeClassifier"
        assert entry["model"]["params"] == model.get_params(deep=False)
        assert entry["model"]["source"] == "model card"
    card = dict(find(view, "models-cards")["items"][0]["fields"])
    assert card["model class"].endswith("DecisionTreeClassifier")
    assert "max_depth=6" in card["hyperparameters"] and "random_state=0" in card["hyperparameters"]
    assert card["model steps"].endswith("DecisionTreeClassifier")


def test_a_card_without_them_falls_back_to_the_model_file_then_the_spec(reader) -> None:
    """Versions made before cards recorded the model: read from the verified model file; a
    file that cannot be read: what the spec asked for, said so."""
    from dataclasses import replace

    from calmops.web.views.models import model_of

    version = reader.ws.store.models.versions("sea")[0]
    old = replace(version, card={k: v for k, v in version.card.items() if k != "model"})
    spec = reader.pipeline("sea").spec
    found = model_of(reader, "sea", old, spec)
    assert found["source"] == "the model file" and found["params"]["max_depth"] == 6
    broken = replace(old, sha256="0" * 64)  # the file no longer matches: not loaded
    found = model_of(reader, "sea", broken, spec)
    assert found["source"].startswith("the pipeline spec")
    assert found["class"] == "sklearn.tree.DecisionTreeClassifier"
    assert found["params"] == {"max_depth": 6, "random_state": 0}


def test_buttons_carry_the_check_url(reader) -> None:
    view = build_models(reader, "sea")
    rows = find(view, "models-versions")["rows"]
    buttons = [row[-1] for row in rows if isinstance(row[-1], dict) and "action" in row[-1]]
    assert buttons and all(b["check"].endswith("/check") for b in buttons)
    (rollback,) = find(view, "models-actions")["items"]
    assert rollback["check"].endswith("/models/rollback/check")
