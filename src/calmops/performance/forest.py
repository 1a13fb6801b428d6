"""A boosted ensemble of depth-2 trees, compiled into lookup tables for fast prediction.

scikit-learn's ``HistGradientBoostingRegressor`` predicts tree by tree: 100 trees cost
about 50 ns per row per tree, which made DLE's ``estimate`` only a few times faster than
NannyML's. A tree of depth at most 2 is a function of at most two features at a time:
its root splits on feature ``a``, each child on one feature ``b`` (or is a leaf), so it
is a sum of one-feature and two-feature step functions. Summing every tree's terms by
feature (and feature pair) gives a handful of tables: a prediction is then one
``searchsorted`` per feature (its cell among the thresholds the trees use) and one lookup
per table, whatever the number of trees. The result equals scikit-learn's prediction (up
to floating-point summation order).

>>> from sklearn.ensemble import HistGradientBoostingRegressor
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(500, 3)); y = X[:, 0] * X[:, 1] + np.abs(X[:, 2])
>>> model = HistGradientBoostingRegressor(max_depth=2, max_iter=50).fit(X, y)
>>> forest = LookupForest.from_sklearn(model)
>>> bool(np.allclose(forest.predict(X), model.predict(X)))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LookupForest"]


@dataclass(frozen=True, eq=False)
class LookupForest:
    """``baseline`` + one table per feature + one per feature pair, indexed by cells.

    A feature's cells are the intervals between the sorted thresholds the trees use on it
    (``x <= t`` goes left) plus a last cell for missing values. ``pairs[i]``: features
    ``(a, b)``, the maps from their cells to the table's rows and columns, and the table.
    """

    n_features: int
    baseline: float
    thresholds: tuple[np.ndarray, ...]
    singles: tuple[np.ndarray | None, ...]
    pairs: tuple[tuple[int, int, np.ndarray, np.ndarray, np.ndarray], ...]

    @classmethod
    def from_sklearn(cls, model) -> LookupForest:
        """Compile a fitted ``HistGradientBoostingRegressor`` of ``max_depth <= 2`` with
        numeric features only."""
        trees = [iteration[0].nodes for iteration in model._predictors]
        n = model.n_features_in_
        thresholds = [set() for _ in range(n)]
        for nodes in trees:
            if nodes["is_categorical"].any() or nodes["depth"].max() > 2:
                raise ValueError("only numeric trees of depth <= 2 can be compiled")
            for node in nodes[nodes["is_leaf"] == 0]:
                thresholds[int(node["feature_idx"])].add(float(node["num_threshold"]))
        edges = tuple(np.array(sorted(t)) for t in thresholds)
        builder = _Builder(edges)
        for nodes in trees:
            builder.add(nodes)
        baseline = float(np.ravel(model._baseline_prediction)[0]) + builder.constant
        return cls(n, baseline, edges, *builder.tables())

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The ensemble's prediction for the rows of ``X`` (n, n_features)."""
        X = np.asarray(X, dtype=float)
        out = np.full(len(X), self.baseline)
        cells = {}
        for f, edges in enumerate(self.thresholds):
            if not len(edges):
                continue
            x = X[:, f]
            cell = np.searchsorted(edges, x, side="left")
            cells[f] = np.where(np.isnan(x), len(edges) + 1, cell)
            if self.singles[f] is not None:
                out += self.singles[f][cells[f]]
        for a, b, rows, columns, table in self.pairs:
            out += table[rows[cells[a]], columns[cells[b]]]
        return out


class _Builder:
    """Accumulates every tree's one- and two-feature terms over the features' cells."""

    def __init__(self, edges: tuple[np.ndarray, ...]) -> None:
        self.edges = edges
        self.singles: dict[int, np.ndarray] = {}
        self.pairs: dict[tuple[int, int], np.ndarray] = {}
        self.constant = 0.0

    def _left(self, node) -> np.ndarray:
        """Which cells of the node's feature go to its left child."""
        edges = self.edges[int(node["feature_idx"])]
        at = int(np.searchsorted(edges, float(node["num_threshold"])))
        return np.r_[np.arange(len(edges) + 1) <= at, bool(node["missing_go_to_left"])]

    def _single(self, f: int, values: np.ndarray) -> None:
        self.singles[f] = self.singles.get(f, 0) + values

    def _pair(self, a: int, b: int, values: np.ndarray) -> None:
        if a > b:
            a, b, values = b, a, values.T
        self.pairs[(a, b)] = self.pairs.get((a, b), 0) + values

    def add(self, nodes) -> None:
        root = nodes[0]
        if root["is_leaf"]:
            self.constant += float(root["value"])
            return
        a = int(root["feature_idx"])
        go_left = self._left(root).astype(float)
        for side, weight in ((root["left"], go_left), (root["right"], 1 - go_left)):
            child = nodes[side]
            if child["is_leaf"]:
                self._single(a, weight * float(child["value"]))
                continue
            b = int(child["feature_idx"])
            left = self._left(child)
            values = np.where(left, nodes[child["left"]]["value"], nodes[child["right"]]["value"])
            if b == a:
                self._single(a, weight * values)
            else:
                self._pair(a, b, np.outer(weight, values))

    def tables(self):
        singles = tuple(self.singles.get(f) for f in range(len(self.edges)))
        pairs = []
        for (a, b), table in sorted(self.pairs.items()):
            unique_rows, rows = np.unique(table, axis=0, return_inverse=True)
            unique_both, columns = np.unique(unique_rows, axis=1, return_inverse=True)
            pairs.append((a, b, rows.ravel(), columns.ravel(), unique_both))
        return singles, tuple(pairs)
