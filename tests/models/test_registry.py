"""Model files, cards, versions and aliases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from calmops.errors import ModelIntegrityError, ModelVersionNotFoundError, OperationCancelled
from calmops.models.artifacts import load_model, save_model, sha256_of
from calmops.models.card import ModelCard, describe_features
from calmops.models.registry import Holdout, ModelRegistry
from calmops.store import InMemoryStore, PipelineRecord


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    store = InMemoryStore()
    store.pipelines.create(PipelineRecord("demo", "stream", "manual", {}))
    return ModelRegistry(store, "demo", tmp_path / "models")


def _model():
    X = pd.DataFrame({"x": np.arange(20.0)})
    return DecisionTreeClassifier(random_state=0).fit(X, (X.x > 9).astype(int)), X


def _card(version: int) -> ModelCard:
    return ModelCard(
        version=version,
        pipeline="demo",
        task="classification",
        target="y",
        features=describe_features(pd.DataFrame({"x": [1.0]})),
        classes=[0, 1],
        training={"rows": 20},
        metrics={"accuracy": 1.0},
        strategy="first",
        reason="test",
    )


def test_a_saved_model_loads_only_with_its_checksum(tmp_path: Path) -> None:
    model, X = _model()
    path, digest = save_model(model, tmp_path)
    assert digest == sha256_of(path)
    assert (load_model(path, digest).predict(X) == model.predict(X)).all()
    with pytest.raises(ModelIntegrityError, match="does not match its recorded checksum"):
        load_model(path, "0" * 64)
    path.unlink()
    with pytest.raises(ModelIntegrityError, match="is missing"):
        load_model(path, digest)


def test_write_lays_out_a_version_folder(registry: ModelRegistry) -> None:
    model, _ = _model()
    version = registry.write(model, _card(1), Holdout(np.array([0, 1]), np.array([0, 0])))
    folder = registry.folder(1)
    assert sorted(p.name for p in folder.iterdir()) == ["card.json", "holdout.npz", "model.joblib"]
    card = json.loads((folder / "card.json").read_text())
    assert card["sha256"] == version.sha256 == sha256_of(folder / "model.joblib")
    assert card["features"] == [{"name": "x", "dtype": "float64", "kind": "numeric"}]
    assert version.path == "models/v1/model.joblib"
    assert not [p for p in registry.models_dir.iterdir() if p.name.startswith(".")]


def test_an_orphan_folder_from_a_crash_is_replaced(registry: ModelRegistry) -> None:
    orphan = registry.folder(1)
    orphan.mkdir(parents=True)
    (orphan / "model.joblib").write_bytes(b"half-written")
    model, X = _model()
    version = registry.write(model, _card(1), Holdout(np.array([0]), np.array([0])))
    registry.store.models.add(version)
    assert (registry.load(version).predict(X) == model.predict(X)).all()


def _registered(registry: ModelRegistry, count: int) -> None:
    model, _ = _model()
    for number in range(1, count + 1):
        registry.store.models.add(
            registry.write(model, _card(number), Holdout(np.array([0]), np.array([0])))
        )


def test_promote_keeps_the_old_champion_as_previous(registry: ModelRegistry) -> None:
    _registered(registry, 3)
    registry.promote(1, reason="first")
    registry.promote(3, reason="better")
    assert registry.store.models.aliases("demo") == {"champion": 3, "previous": 1}
    with pytest.raises(OperationCancelled, match="already the champion"):
        registry.promote(3, reason="again")
    with pytest.raises(ModelVersionNotFoundError):
        registry.promote(9, reason="nope")


def test_rollback_swaps_and_a_second_rollback_undoes_it(registry: ModelRegistry) -> None:
    _registered(registry, 2)
    with pytest.raises(ModelVersionNotFoundError, match="no previous model"):
        registry.rollback(reason="none")
    registry.promote(1, reason="first")
    registry.promote(2, reason="second")
    registry.rollback(reason="oops")
    assert registry.store.models.aliases("demo") == {"champion": 1, "previous": 2}
    registry.rollback(reason="undo")
    assert registry.store.models.aliases("demo") == {"champion": 2, "previous": 1}


def test_prune_keeps_aliased_and_newest_versions(registry: ModelRegistry) -> None:
    _registered(registry, 6)
    registry.promote(2, reason="x")
    registry.promote(6, reason="y")
    removed = registry.prune(keep=3)
    assert removed == [1, 3, 4]
    assert [v.version for v in registry.store.models.versions("demo")] == [2, 5, 6]
    assert sorted(p.name for p in registry.models_dir.iterdir()) == ["v2", "v5", "v6"]


def test_skops_files_round_trip_and_are_checked(tmp_path: Path) -> None:
    pytest.importorskip("skops", reason="skops is an optional extra (calmops[skops])")
    model, X = _model()
    path, digest = save_model(model, tmp_path, "skops")
    assert path.name == "model.skops"
    assert (load_model(path, digest).predict(X) == model.predict(X)).all()
    with pytest.raises(ModelIntegrityError):
        load_model(path, "f" * 64)
