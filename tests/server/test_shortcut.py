"""The numeric shortcut gives exactly what the full model gives, and only where it applies."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from calmops.server.served import load_served
from calmops.server.shortcut import numeric_shortcut


def test_the_shortcut_agrees_with_the_full_model(workspace) -> None:
    served = load_served(workspace, "sea", "champion")
    assert served.shortcut is not None
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.uniform(0, 10, size=(500, 3)), columns=["x0", "x1", "x2"])
    frame.iloc[::7, 1] = np.nan
    values = {name: frame[name].to_numpy() for name in frame.columns}
    assert np.array_equal(served.shortcut.predict(values), served.model.predict(frame))
    assert np.allclose(served.shortcut.predict_proba(values), served.model.predict_proba(frame))
    scored = served.score(values, probabilities=True)
    assert np.array_equal(scored.predictions, served.model.predict(frame))


def test_no_shortcut_for_text_features_or_other_pipelines(workspace) -> None:
    assert load_served(workspace, "mixed", "champion").shortcut is None
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    custom = Pipeline([("scale", StandardScaler()), ("tree", DecisionTreeClassifier())])
    assert numeric_shortcut(custom.fit(X, [0, 0, 1, 1]), ["a"], ["numeric"]) is None
    assert (
        numeric_shortcut(DecisionTreeClassifier().fit(X, [0, 0, 1, 1]), ["a"], ["numeric"]) is None
    )
