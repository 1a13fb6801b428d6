"""The shortcut gives exactly what the full model gives, and is taken only where it applies."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from calmops.server.served import load_served
from calmops.server.shortcut import shortcut_for


def _same(served, frame: pd.DataFrame) -> None:
    values = served.prepare_rows(frame.to_dict(orient="records")).columns
    full = pd.DataFrame(values, columns=served.names)
    assert np.array_equal(served.shortcut.predict(values), served.model.predict(full))
    assert np.allclose(served.shortcut.predict_proba(values), served.model.predict_proba(full))


def test_numbers_only(workspace) -> None:
    served = load_served(workspace, "sea", "champion")
    assert served.shortcut is not None
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.uniform(0, 10, size=(500, 3)), columns=["x0", "x1", "x2"])
    frame = frame.astype(object)
    frame.iloc[::7, 1] = None
    _same(served, frame)


def test_numbers_and_text_through_the_hook(workspace) -> None:
    served = load_served(workspace, "mixed", "champion")
    assert served.shortcut is not None
    rng = np.random.default_rng(5)
    colors = rng.choice(["red", "green", "blue", "violet"], size=300).astype(object)
    colors[::11] = None
    frame = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300), "color": colors})
    _same(served, frame)


def test_no_shortcut_for_other_models(workspace) -> None:
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    custom = Pipeline([("scale", StandardScaler()), ("tree", DecisionTreeClassifier())])
    assert shortcut_for(custom.fit(X, [0, 0, 1, 1]), ["a"], ["numeric"]) is None
    assert shortcut_for(DecisionTreeClassifier().fit(X, [0, 0, 1, 1]), ["a"], ["numeric"]) is None
    sea = load_served(workspace, "sea", "champion").model
    assert shortcut_for(sea, ["x0", "x1", "x2"], ["numeric", "numeric", "boolean"]) is None
    assert shortcut_for(sea, ["x0", "x1"], ["numeric", "numeric"]) is None
