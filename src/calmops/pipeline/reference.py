"""The drift reference of each model version: the profile of the data it was trained on.

``reference/v<N>/`` holds the profile of version ``N``'s training features (the block column
left out); it is written durably when the version is written, before the run commits, so
any version can become the champion later and be monitored against its own data.
Beside it, ``reference/v<N>/predictions/`` profiles the version's predictions on its held-out
rows and ``reference/v<N>/labels/`` its training labels (``calmops.pipeline.target_drift``).
They live in the pipeline's artifact store (:mod:`calmops.artifacts`), by default its folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from calmops.workspace import PipelinePaths

if TYPE_CHECKING:
    from calmops.drift import Profile

__all__ = ["OUTPUTS", "load_output_reference", "load_reference", "save_reference"]

#: the profiles kept beside the features' one: predictions and labels
OUTPUTS = ("predictions", "labels")


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

    folder = paths.artifacts.folder(f"reference/v{version}")
    return Profile.load(folder) if folder is not None else None


def load_output_reference(paths: PipelinePaths, version: int, which: str) -> Profile | None:
    """The profile of ``version``'s ``predictions`` or ``labels``, or None without one
    (versions written before they were kept).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from calmops.drift.target import label_frame, output_profile
    >>> paths = PipelinePaths(pathlib.Path(tempfile.mkdtemp()))
    >>> labels = output_profile(label_frame([0, 1, 1], "classification"))
    >>> save_reference(paths, 1, pd.DataFrame({"x": [1.0, 2.0, 3.0]}), outputs={"labels": labels})
    >>> load_output_reference(paths, 1, "labels").n_rows
    3
    >>> load_output_reference(paths, 1, "predictions") is None
    True
    """
    from calmops.drift import Profile

    folder = paths.artifacts.folder(f"reference/v{version}/{which}")
    return Profile.load(folder) if folder is not None else None


def save_reference(
    paths: PipelinePaths,
    version: int,
    features: pd.DataFrame,
    block_column: str | None = None,
    outputs: Mapping[str, Profile] | None = None,
) -> None:
    """Write the reference profile of ``version`` from its training ``features``, with the
    profiles of its ``outputs`` (``predictions``, ``labels``) in subfolders."""
    from calmops.drift import Profile

    features = features.drop(columns=[block_column] if block_column else [], errors="ignore")
    with paths.artifacts.staged(f"reference/v{version}") as staged:  # replaces an orphan
        Profile.fit(features).save(staged)
        for which, profile in (outputs or {}).items():
            profile.save(staged / which)
