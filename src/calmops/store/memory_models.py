"""Model versions and aliases of the :class:`~calmops.store.memory.InMemoryStore`."""

from __future__ import annotations

from collections.abc import Iterable

from calmops.errors import ModelInUseError, ModelVersionNotFoundError
from calmops.store.entities import AliasChange, ModelVersion, utcnow
from calmops.store.memory_tables import Memory, MemoryTables

__all__ = ["MemoryModels", "move_aliases"]


class MemoryModels:
    def __init__(self, memory: Memory) -> None:
        self._m = memory

    def add(self, version: ModelVersion) -> None:
        def change(t: MemoryTables) -> None:
            self._m.pipeline(version.pipeline)
            t.versions[(version.pipeline, version.version)] = version

        self._m.run(change)

    def versions(self, pipeline: str) -> list[ModelVersion]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return [v for (p, _), v in sorted(self._m.tables.versions.items()) if p == pipeline]

    def get(self, pipeline: str, version: int) -> ModelVersion:
        with self._m.lock:
            self._m.pipeline(pipeline)
            found = self._m.tables.versions.get((pipeline, version))
            if found is None:
                raise ModelVersionNotFoundError(pipeline, version)
            return found

    def aliases(self, pipeline: str) -> dict[str, int]:
        with self._m.lock:
            self._m.pipeline(pipeline)
            return {a: v for (p, a), v in sorted(self._m.tables.aliases.items()) if p == pipeline}

    def set_aliases(self, pipeline, changes, *, reason: str) -> list[AliasChange]:
        def change(t: MemoryTables) -> list[AliasChange]:
            self._m.pipeline(pipeline)
            return move_aliases(t, pipeline, changes, reason)

        return self._m.run(change)

    def history(self, pipeline: str) -> list[AliasChange]:
        with self._m.lock:
            return [c for c in self._m.tables.alias_history if c.pipeline == pipeline]

    def delete(self, pipeline: str, versions: Iterable[int]) -> None:
        chosen = set(versions)

        def change(t: MemoryTables) -> None:
            self._m.pipeline(pipeline)
            _refuse_aliased(
                pipeline, chosen, {a: v for (p, a), v in t.aliases.items() if p == pipeline}
            )
            t.versions = {
                k: v for k, v in t.versions.items() if not (k[0] == pipeline and k[1] in chosen)
            }

        self._m.run(change)


def move_aliases(
    t: MemoryTables, pipeline: str, changes: dict[str, int | None], reason: str
) -> list[AliasChange]:
    moves = []
    now = utcnow()
    for alias, version in changes.items():
        if version is not None and (pipeline, version) not in t.versions:
            raise ModelVersionNotFoundError(pipeline, version)
        old = t.aliases.get((pipeline, alias))
        if version is None:
            t.aliases.pop((pipeline, alias), None)
        else:
            t.aliases[(pipeline, alias)] = version
        moves.append(AliasChange(pipeline, alias, old, version, reason, at=now))
    t.alias_history += moves
    return moves


def _refuse_aliased(pipeline: str, versions: set[int], aliases: dict[str, int]) -> None:
    held = sorted(
        f"{alias} (v{version})" for alias, version in aliases.items() if version in versions
    )
    if held:
        raise ModelInUseError(
            f"cannot delete model versions of '{pipeline}' that aliases point to: {', '.join(held)}"
        )
