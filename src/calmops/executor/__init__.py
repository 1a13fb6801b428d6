"""Where pipeline monitors run: ``local`` processes (the default) or a ``ray`` cluster.

``get_executor(name, **options)`` builds one by name; both satisfy
:class:`~calmops.executor.base.Executor`. Whatever the executor, a monitor takes its
pipeline's lease in the store before it runs anything, so executors (and hosts) never
run one pipeline twice.
"""

from __future__ import annotations

from typing import Any

from calmops.errors import RegistryError
from calmops.executor.base import Executor, Placement
from calmops.executor.local import LocalExecutor
from calmops.executor.ray import RayExecutor

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "Placement", "RayExecutor", "get_executor"]

EXECUTORS: dict[str, type] = {"local": LocalExecutor, "ray": RayExecutor}


def get_executor(name: str, **options: Any) -> Executor:
    """The executor called ``name`` built with ``options``.

    Examples
    --------
    >>> get_executor("local").name
    'local'
    >>> get_executor("spark")
    Traceback (most recent call last):
    ...
    calmops.errors.RegistryError: no executor 'spark'; choose from local, ray
    """
    if name not in EXECUTORS:
        raise RegistryError(f"no executor '{name}'; choose from {', '.join(sorted(EXECUTORS))}")
    return EXECUTORS[name](**options)
