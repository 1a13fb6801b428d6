"""The drift reference of each model version: the profile of the data it was trained on.

``reference/v<N>/`` holds the profile of version ``N``'s training features (the block column
left out); it is written durably when the version is written, before the run commits, so
any version can become the champion later and be monitored against its own data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from calmops.atomic import staged_folder
from calmops.workspace import PipelinePaths

if TYPE_CHECKING:
    from calmops.drift import Profile

__all__ = ["load_reference", "save_reference"]


def load_reference(paths: PipelinePaths, version: int) -> Profile | None:
    """The reference profile of ``version``, or None if it has none (e.g. a hand-made one).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> paths = PipelinePaths(pathlib.Path(tempfile.mkdtemp()))
    >>> save_reference(paths, 3, pd.DataFrame({"x": [1.0, 2.0, 3.0], "month": [1, 1, 2]}),
    ...                block_column="month")
    >>> list(load_reference(paths, 3).columns), load_reference(paths, 4)
    (['x'], None)
    """
    from calmops.drift import Profile

    folder = paths.reference / f"v{version}"
    return Profile.load(folder) if folder.exists() else None


def save_reference(
    paths: PipelinePaths, version: int, features: pd.DataFrame, block_column: str | None = None
) -> None:
    """Write the reference profile of ``version`` from its training ``features``."""
    from calmops.drift import Profile

    features = features.drop(columns=[block_column] if block_column else [], errors="ignore")
    with staged_folder(paths.reference / f"v{version}") as staged:  # replaces a crash's orphan
        Profile.fit(features).save(staged.path)
