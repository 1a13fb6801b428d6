"""What every stream generator is: parameters in a frozen dataclass and ``sample(n, rng)``.

A generator is a *concept*: its parameters fix the data distribution and the labelling
function. ``sample(n, rng)`` returns the first ``n`` rows of that concept's stream, as whole
numpy arrays. Generators that have a labelling function also offer ``label(features)`` (the
noise-free function, tested against river's), and those with a continuous decision value
offer ``margin(features)`` (label 1 where it is > 0; the value itself for regression), which
incremental drift blends between two concepts. Generators with a random model (Hyperplane's
weights, RandomRBF's centroids, RandomTree's tree) offer ``pin_model(rng)``, which fixes that
model in the parameters so every concept of a stream shares it and the record shows it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from calmops.errors import SpecError

__all__ = ["Sample", "StreamGenerator", "alternate_classes", "params_of"]


@dataclass(frozen=True, eq=False)
class Sample:
    """Rows of a stream: feature columns (name -> array) and the target array."""

    features: dict[str, np.ndarray]
    target: np.ndarray

    def __len__(self) -> int:
        return len(self.target)

    def take(self, index: np.ndarray) -> Sample:
        """The rows at ``index`` (positions or a boolean mask), in that order."""
        return Sample({k: v[index] for k, v in self.features.items()}, self.target[index])

    @staticmethod
    def concat(samples: list[Sample]) -> Sample:
        """The rows of ``samples`` one after the other."""
        first = samples[0]
        features = {k: np.concatenate([s.features[k] for s in samples]) for k in first.features}
        return Sample(features, np.concatenate([s.target for s in samples]))


@runtime_checkable
class StreamGenerator(Protocol):
    """A concept of a synthetic stream (see the module docstring)."""

    name: ClassVar[str]
    task: ClassVar[str]  # "binary", "multiclass" or "regression"

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """The first ``n`` rows of this concept's stream."""
        ...


def params_of(generator: Any) -> dict[str, Any]:
    """The parameters of a generator as a plain dict."""
    return {f.name: getattr(generator, f.name) for f in dataclasses.fields(generator)}


def alternate_classes(draw: Callable[[int], Sample], n: int) -> Sample:
    """river's ``balance_classes``: rows alternate class 1, 0, 1, 0, ... in stream order.

    ``draw(m)`` returns the next ``m`` rows of the unbalanced stream; rows of each class
    keep their stream order, as river's rejection loop does.
    """
    need = np.array([n // 2, n - n // 2])  # zeros, ones (ones come first)
    chunks: list[Sample] = []
    have = np.zeros(2, dtype=np.int64)
    for _ in range(10_000):
        if (have >= need).all():
            break
        chunk = draw(max(2 * int((need - have).clip(0).max()), 64))
        chunks.append(chunk)
        have += np.bincount(chunk.target.astype(np.int64), minlength=2)[:2]
    else:
        raise SpecError("balance_classes: one class is (almost) never produced by this concept")
    pool = Sample.concat(chunks)
    zeros = np.flatnonzero(pool.target == 0)[: need[0]]
    ones = np.flatnonzero(pool.target == 1)[: need[1]]
    order = np.empty(n, dtype=np.int64)
    order[0::2] = ones
    order[1::2] = zeros
    return pool.take(order)
