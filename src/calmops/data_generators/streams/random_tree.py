"""RandomTree: labels from a random decision tree over numeric and categorical features."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_count, check_probability
from calmops.data_generators.streams.base import Sample

__all__ = ["RandomTree", "TreeModel"]


@dataclass(frozen=True, eq=False)
class TreeModel:
    """A tree as flat arrays; node 0 is the root.

    ``feature[i]`` is the split feature (-1 at a leaf), ``threshold[i]`` the numeric split
    value (left when ``x < threshold``), ``children[i, k]`` the k-th child (the category code
    for categorical splits) and ``label[i]`` the class of a leaf.
    """

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray
    label: np.ndarray

    def classify(self, x: np.ndarray) -> np.ndarray:
        """The leaf class of every row of ``x`` (rows x features), level by level."""
        node = np.zeros(len(x), dtype=np.int64)
        rows = np.arange(len(x))
        for _ in range(len(self.feature)):
            f = self.feature[node]
            inner = f >= 0
            if not inner.any():
                break
            r, n, f = rows[inner], node[inner], f[inner]
            value = x[r, f]
            numeric = ~np.isnan(self.threshold[n])
            branch = np.where(numeric, value >= np.nan_to_num(self.threshold[n]), value)
            node[inner] = self.children[n, branch.astype(np.int64)]
        return self.label[node]


@dataclass(frozen=True)
class RandomTree:
    """Random-tree concepts, as river's ``synth.RandomTree``.

    The tree is grown as river grows it: a node becomes a leaf at ``max_tree_depth``, or from
    ``first_leaf_level`` on with probability ``fraction_leaves_per_level``; a numeric split
    cuts its feature's current range at a uniform point; a categorical split has one child per
    category and removes the feature from deeper candidates. Numeric features ``x_num_i`` are
    U(0, 1), categorical ``x_cat_i`` are codes ``0 .. n_categories_per_feature - 1``.

    Parameters
    ----------
    seed_tree
        Seed of the tree; when None, ``generate_stream`` draws one from its seed (and records
        it).

    Examples
    --------
    >>> import numpy as np
    >>> s = RandomTree(seed_tree=1).sample(5, np.random.default_rng(0))
    >>> s.target.tolist()
    [0, 1, 0, 1, 0]
    """

    n_classes: int = 2
    n_num_features: int = 5
    n_cat_features: int = 5
    n_categories_per_feature: int = 5
    max_tree_depth: int = 5
    first_leaf_level: int = 3
    fraction_leaves_per_level: float = 0.15
    seed_tree: int | None = None

    name: ClassVar[str] = "random_tree"
    task: ClassVar[str] = "multiclass"

    def __post_init__(self) -> None:
        check_count("n_classes", self.n_classes, minimum=2)
        check_count("n_num_features", self.n_num_features)
        check_count("n_cat_features", self.n_cat_features)
        check_count("n_categories_per_feature", self.n_categories_per_feature, minimum=2)
        check_count("max_tree_depth", self.max_tree_depth)
        check_count("first_leaf_level", self.first_leaf_level)
        check_probability("fraction_leaves_per_level", self.fraction_leaves_per_level)
        check_count(
            "n_num_features + n_cat_features", self.n_num_features + self.n_cat_features, minimum=1
        )  # noqa: E501

    @property
    def columns(self) -> tuple[str, ...]:
        """``x_num_0 ..`` then ``x_cat_0 ..``, as river names them."""
        return tuple(f"x_num_{i}" for i in range(self.n_num_features)) + tuple(
            f"x_cat_{i}" for i in range(self.n_cat_features)
        )

    def tree(self, rng: np.random.Generator) -> TreeModel:
        """Grow the tree (from ``seed_tree`` when set, else from ``rng``)."""
        if self.seed_tree is not None:
            rng = np.random.default_rng(self.seed_tree)
        width = max(2, self.n_categories_per_feature)
        feature: list[int] = []
        threshold: list[float] = []
        children: list[list[int]] = []
        label: list[int] = []

        def grow(depth: int, candidates: list[int], low: list[float], high: list[float]) -> int:
            node = len(feature)
            feature.append(-1)
            threshold.append(np.nan)
            children.append([0] * width)
            label.append(0)
            if depth >= self.max_tree_depth or (
                depth >= self.first_leaf_level
                and self.fraction_leaves_per_level >= 1.0 - rng.random()
            ):
                label[node] = int(rng.integers(0, self.n_classes))
                return node
            chosen = int(rng.integers(0, len(candidates)))
            if chosen < self.n_num_features:
                cut = (high[chosen] - low[chosen]) * rng.random() + low[chosen]
                feature[node], threshold[node] = chosen, cut
                left_high = list(high)
                left_high[chosen] = cut
                right_low = list(low)
                right_low[chosen] = cut
                children[node][0] = grow(depth + 1, candidates, low, left_high)
                children[node][1] = grow(depth + 1, candidates, right_low, high)
            else:
                feature[node] = candidates[chosen]
                rest = [c for c in candidates if c != feature[node]]
                for k in range(self.n_categories_per_feature):
                    children[node][k] = grow(depth + 1, rest, low, high)
            return node

        n_num = self.n_num_features
        grow(0, list(range(n_num + self.n_cat_features)), [0.0] * n_num, [1.0] * n_num)
        return TreeModel(
            feature=np.array(feature, dtype=np.int64),
            threshold=np.array(threshold, dtype=np.float64),
            children=np.array(children, dtype=np.int64),
            label=np.array(label, dtype=np.int64),
        )

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows labelled by this concept's tree."""
        model = self.tree(rng)
        numeric = rng.random((n, self.n_num_features))
        codes = rng.integers(0, self.n_categories_per_feature, (n, self.n_cat_features))
        y = model.classify(np.hstack([numeric, codes]))
        names = self.columns
        features = {names[i]: numeric[:, i] for i in range(self.n_num_features)}
        for j in range(self.n_cat_features):
            features[names[self.n_num_features + j]] = codes[:, j]
        return Sample(features, y)

    def pin_model(self, rng: np.random.Generator) -> RandomTree:
        """This concept with its tree seed drawn now (kept if already given)."""
        if self.seed_tree is not None:
            return self
        return dataclasses.replace(self, seed_tree=int(rng.integers(2**31)))

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: another tree."""
        return {"seed_tree": (self.seed_tree or 0) + 1}
