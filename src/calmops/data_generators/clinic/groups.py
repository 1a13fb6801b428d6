"""Which group every patient is in at every visit: control, or a named disease subgroup.

At the first visit the patients are split exactly (controls, then each subgroup by count,
share of the disease patients, or remainder) in random order. Transitions then move chosen
patients between groups from a given visit on; every move is kept for the record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calmops.data_generators.clinic.checks import subgroup_sizes
from calmops.data_generators.clinic.config import CohortConfig
from calmops.errors import SpecError

__all__ = ["Membership", "Move", "assign_groups"]


@dataclass(frozen=True)
class Move:
    """Transition ``index`` of the spec: ``patients`` go from one group to another at ``visit``."""

    index: int
    visit: int
    source: str
    target: str
    patients: np.ndarray  # patient positions (0-based), sorted


@dataclass(frozen=True)
class Membership:
    """``groups[v - 1][i]`` is the group index (into ``names``) of patient ``i`` at visit v."""

    names: tuple[str, ...]
    groups: np.ndarray  # visits x patients, int16
    moves: tuple[Move, ...]

    def at(self, visit: int) -> np.ndarray:
        return self.groups[visit - 1]


def assign_groups(config: CohortConfig, rng: np.random.Generator) -> Membership:
    """Groups at every visit, with the transitions applied.

    Examples
    --------
    >>> import numpy as np
    >>> from calmops.data_generators.clinic.load import load_config
    >>> config = load_config({"patients": 10, "visits": 2, "transitions": [
    ...     {"visit": 2, "from": "control", "to": "disease", "count": 2}]})
    >>> m = assign_groups(config, np.random.default_rng(0))
    >>> np.bincount(m.at(1)).tolist(), np.bincount(m.at(2)).tolist(), m.moves[0].patients.size
    ([5, 5], [3, 7], 2)
    """
    controls, sizes = subgroup_sizes(config)
    first = rng.permutation(np.repeat(np.arange(1 + len(sizes)), [controls, *sizes]))
    groups = np.empty((config.visits, config.patients), dtype=np.int16)
    groups[0] = first
    names = config.group_names
    moves: list[Move] = []
    by_visit = sorted(enumerate(config.transitions), key=lambda item: item[1].visit)
    done = 1
    for index, transition in by_visit:
        while done < transition.visit:
            groups[done] = groups[done - 1]
            done += 1
        current = groups[transition.visit - 1]
        source, target = names.index(transition.from_), names.index(transition.to)
        candidates = np.flatnonzero(current == source)
        size = _size(index, transition.count, transition.share, candidates.size, transition.from_)
        chosen = np.sort(rng.choice(candidates, size, replace=False))
        current[chosen] = target
        moves.append(Move(index, transition.visit, transition.from_, transition.to, chosen))
    while done < config.visits:
        groups[done] = groups[done - 1]
        done += 1
    return Membership(names=names, groups=groups, moves=tuple(moves))


def _size(index: int, count: int | None, share: float | None, available: int, source: str) -> int:
    field = f"transitions[{index}]"
    if count is not None:
        if count > available:
            raise SpecError(
                f"{field}.count: {count} patients asked but {source!r} has only {available} "
                "at that visit"
            )
        return count
    size = round(available * float(share or 0))
    if size < 1:
        raise SpecError(
            f"{field}.share: {share} of the {available} patients in {source!r} moves nobody; "
            "raise the share or use count"
        )
    return size
