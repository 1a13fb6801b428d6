"""The real tables of ``synth_bench.py`` (all shipped inside installed packages), the 70/30
split, and the 10,000 × 20 table of the timing.

- ``solar_flare`` (river, 1,066 rows): three categorical columns, seven small counts, target
  ``c-class-flares`` (a count, 0-8: classes);
- ``chick_weights`` (river, 578 rows): ``chick`` and ``diet`` as labels, target ``weight``
  (regression);
- ``phishing`` (river, 1,250 rows): nine features, target ``is_phishing`` (boolean);
- ``image_segments`` (river, 2,310 rows): eighteen features, 10% of their values missing
  completely at random (injected: no bundled table has missing values), target ``shape``
  (seven labels);
- ``breast_cancer`` (scikit-learn, 569 rows × 31), target 0/1;
- ``diabetes`` (scikit-learn, 442 rows × 11, unscaled), target a disease score (regression).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["TABLES", "load", "split", "wide_table"]

TABLES = (
    "solar_flare",
    "chick_weights",
    "phishing",
    "image_segments",
    "breast_cancer",
    "diabetes",
)
MCAR_RATE = 0.10


def _river(dataset, target: str) -> pd.DataFrame:
    rows = []
    for x, y in dataset:
        rows.append({**x, **(y if isinstance(y, dict) else {target: y})})
    return pd.DataFrame(rows)


def load(name: str) -> tuple[pd.DataFrame, str]:
    """The table ``name`` and its target column."""
    from river import datasets
    from sklearn import datasets as sk

    if name == "solar_flare":
        return _river(datasets.SolarFlare(), ""), "c-class-flares"
    if name == "chick_weights":
        frame = _river(datasets.ChickWeights(), "weight")
        return frame.astype({"chick": str, "diet": str}), "weight"
    if name == "phishing":
        return _river(datasets.Phishing(), "is_phishing"), "is_phishing"
    if name == "image_segments":
        frame = _river(datasets.ImageSegments(), "shape")
        return _with_missing(frame, "shape"), "shape"
    if name == "breast_cancer":
        return sk.load_breast_cancer(as_frame=True).frame, "target"
    if name == "diabetes":
        return sk.load_diabetes(as_frame=True, scaled=False).frame, "target"
    raise SystemExit(f"no table {name!r}; choose from {', '.join(TABLES)}")


def _with_missing(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    from calmops.data_generators import inject

    features = [c for c in frame.columns if c != target]
    data, _ = inject(frame, "missing", columns=features, rate=MCAR_RATE, seed=0)
    return data


def split(frame: pd.DataFrame, target: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """70/30 train/holdout, stratified on a target with few values (each seen twice)."""
    from sklearn.model_selection import train_test_split

    counts = frame[target].value_counts()
    stratify = frame[target] if len(counts) <= 10 and counts.min() >= 2 else None
    train, holdout = train_test_split(frame, test_size=0.3, random_state=seed, stratify=stratify)
    return train.reset_index(drop=True), holdout.reset_index(drop=True)


def wide_table(n: int, seed: int) -> tuple[pd.DataFrame, str]:
    """``n`` rows × 20 columns: Agrawal's ten (three of them coded categories, as labels)
    beside ten hyperplane features."""
    from calmops.data_generators import generate_stream

    agrawal, _ = generate_stream("agrawal", n, seed=seed)
    plane, _ = generate_stream("hyperplane", n, seed=seed + 1, params={"n_features": 10})
    agrawal = agrawal.astype({"elevel": str, "car": str, "zipcode": str})
    features = plane.drop(columns="target").add_prefix("h_")
    frame = pd.concat([agrawal, features], axis=1)
    assert frame.shape == (n, 20), frame.shape
    return frame, "target"
