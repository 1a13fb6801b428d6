"""What a synthetic stream is made of: its base generator, the concepts its schedule names,
the per-row schedule and the random seeds every draw uses (:class:`StreamPlan`)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np

from calmops.data_generators._checks import Seed, as_rng
from calmops.data_generators.registry import GENERATORS
from calmops.data_generators.streams.base import StreamGenerator, params_of
from calmops.data_generators.streams.schedule import ConceptSchedule, Rows
from calmops.errors import SpecError

__all__ = ["StreamPlan", "classes_of", "make_generator", "plan_stream"]


def make_generator(generator: str | StreamGenerator, **params: Any) -> StreamGenerator:
    """A generator from its registered name and parameters (or a given one, updated).

    Examples
    --------
    >>> make_generator("sea", variant=2)
    SEA(variant=2, noise=0.0)
    >>> make_generator("sea", threshold=3)
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: sea has no parameter 'threshold'; its parameters are variant, noise
    """
    if isinstance(generator, str):
        cls, base = GENERATORS.get(generator), {}
    else:
        cls, base = type(generator), params_of(generator)
    allowed = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in params if k not in allowed]
    if unknown:
        raise SpecError(
            f"{cls.name} has no parameter '{unknown[0]}'; its parameters are {', '.join(allowed)}"
        )
    return cls(**{**base, **params})


def classes_of(generator: StreamGenerator) -> np.ndarray:
    """The class labels of a classification generator: 0..k-1."""
    return np.arange(2 if generator.task == "binary" else generator.n_classes)


def _concepts(base: StreamGenerator, schedule: ConceptSchedule) -> list[StreamGenerator]:
    concepts = [base]
    for overrides in schedule.concepts[1:]:
        if overrides is None:
            if not hasattr(base, "next_concept"):
                raise SpecError(
                    f"{base.name} has no natural drifted concept; "
                    "give the new concept's parameters (to=... / --to-params)"
                )
            overrides = base.next_concept()
        concepts.append(make_generator(base, **overrides))
    for c in concepts[1:]:
        if tuple(c.columns) != tuple(base.columns):
            raise SpecError(
                f"every concept must have the same columns; {params_of(c)} gives "
                f"{list(c.columns)} instead of {list(base.columns)}"
            )
    return concepts


@dataclasses.dataclass(frozen=True)
class StreamPlan:
    """What a stream is made of: its concepts, the per-row schedule and the random seeds.

    ``seeds`` holds one SeedSequence per concept stream, then one for mixing (``mix``), one
    per transition window, and last one for the model the concepts share.
    """

    base: StreamGenerator
    concepts: list[StreamGenerator]
    schedule: ConceptSchedule
    n: int
    seeds: list[np.random.SeedSequence]

    @functools.cached_property
    def rows(self) -> Rows:
        """Each row's old and new concept and the weight of the new one."""
        return self.schedule.rows(self.n)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.base.columns)

    def mixing_seed(self) -> np.random.SeedSequence:
        return self.seeds[len(self.concepts)]

    def window_seed(self, transition: int) -> np.random.SeedSequence:
        return self.seeds[len(self.concepts) + 1 + transition]


def plan_stream(base: StreamGenerator, schedule: ConceptSchedule, n: int, seed: Seed) -> StreamPlan:
    """The concepts of ``schedule`` over ``base``, with the seeds every draw will use."""
    rng = as_rng(seed)
    n_seeds = len(schedule.concepts) + 2 + len(schedule.transitions)
    seeds = rng.bit_generator.seed_seq.spawn(n_seeds)
    if hasattr(base, "pin_model"):  # concepts share the model (weights, centroids, tree)
        base = base.pin_model(np.random.default_rng(seeds[-1]))
    return StreamPlan(base, _concepts(base, schedule), schedule, n, seeds)
