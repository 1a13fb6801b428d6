"""The tutorials of the documentation, shipped with the package so ``calmops tutorial copy``
can put one in a folder for a user to run.

Each tutorial is one module here with a ``TITLE``, a ``make_data(folder)`` that writes its data
and a ``main(folder)`` that runs it with the real ``calmops`` command line and checks what it
printed (``tests/tutorials/`` runs every one).

>>> [tutorial.name for tutorial in list_tutorials()][:2]
['first-pipeline', 'real-table']
>>> get_tutorial("first-pipelin")
Traceback (most recent call last):
...
calmops.errors.SpecError: no tutorial 'first-pipelin'; choose from blocks-and-ipip, ...
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from calmops.errors import CalmopsError, SpecError

__all__ = ["Tutorial", "copy_tutorial", "get_tutorial", "list_tutorials"]

# name -> module, in reading order (the documentation's order)
_MODULES = {
    "first-pipeline": "first_pipeline",
    "real-table": "real_table",
    "blocks-and-ipip": "blocks_and_ipip",
    "serving": "serving",
    "drift-in-ci": "drift_in_ci",
    "realistic-data": "realistic_data",
}


@dataclass(frozen=True)
class Tutorial:
    """One tutorial: its name (for ``calmops tutorial copy``), title, summary and script."""

    name: str
    title: str
    summary: str
    script: Path


def get_tutorial(name: str) -> Tutorial:
    """The tutorial called ``name`` (a :class:`~calmops.errors.SpecError` lists the names)."""
    if name not in _MODULES:
        raise SpecError(f"no tutorial '{name}'; choose from {', '.join(sorted(_MODULES))}")
    module = importlib.import_module(f"calmops.tutorials.{_MODULES[name]}")
    summary = (module.__doc__ or "").split("\n\n")[1].replace("\n", " ").strip()
    summary = summary.replace("``", "`")
    return Tutorial(name, module.TITLE, summary, Path(module.__file__))


def list_tutorials() -> list[Tutorial]:
    """Every tutorial, in the documentation's order."""
    return [get_tutorial(name) for name in _MODULES]


def copy_tutorial(name: str, folder: str | Path, *, with_data: bool = True) -> list[Path]:
    """Write tutorial ``name``'s script (as ``tutorial.py``) and its data into ``folder``.

    ``folder`` is created; an existing ``tutorial.py`` there is an error (nothing is
    overwritten). Returns the paths written at the top of ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "t"
    >>> [p.name for p in copy_tutorial("first-pipeline", out, with_data=False)]
    ['tutorial.py']
    """
    tutorial = get_tutorial(name)
    folder = Path(folder)
    target = folder / "tutorial.py"
    if target.exists():
        raise CalmopsError(f"{target} exists already; copy the tutorial into an empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    shutil.copyfile(tutorial.script, target)
    if with_data:
        module = importlib.import_module(f"calmops.tutorials.{_MODULES[name]}")
        module.make_data(folder.resolve())
    return sorted(set(folder.iterdir()) - before)
