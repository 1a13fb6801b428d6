"""The model registry of one pipeline: versioned folders, checksums, cards and aliases.

::

    models/v<N>/model.joblib   the model (checked against its SHA-256 before every load)
               card.json       the model card
               holdout.npz     labels and predictions on its holdout rows (the baseline)
               estimator/...   its label-free performance estimator (calmops.performance),
                               when it has one

A version's files are written under a temporary name and renamed into place (in an object
store: uploaded object by object, each a single PUT, the card last); the version becomes
known only when the run that made it commits (``RunOutcome.new_versions``), so a crash
leaves at most an orphan folder, which the next version number overwrites. The files live
in an artifact store (:mod:`calmops.artifacts`): the ``models/`` folder by default.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from calmops.artifacts import ArtifactStore, LocalArtifacts
from calmops.atomic import atomic_write_text
from calmops.errors import ArtifactNotFoundError, ModelVersionNotFoundError, OperationCancelled
from calmops.models.artifacts import model_from_bytes, save_model
from calmops.models.card import ModelCard
from calmops.store import AliasChange, ModelVersion, Store

__all__ = ["Holdout", "ModelRegistry"]


@dataclass(frozen=True)
class Holdout:
    """Labels and predictions of a model on its holdout rows (and its probabilities, one
    column per class of ``classes``, when it has ``predict_proba``)."""

    y_true: np.ndarray
    y_pred: np.ndarray
    proba: np.ndarray | None = None
    classes: np.ndarray | None = None

    def probabilities(self) -> Any:
        """The probabilities as a ``calmops.models.metrics.Proba`` (None without them)."""
        from calmops.models.metrics import Proba

        return None if self.proba is None else Proba(self.proba, self.classes)


class ModelRegistry:
    """Model versions of pipeline ``pipeline`` stored in ``models`` (the ``models/`` folder,
    or an artifact store scoped to it)."""

    def __init__(self, store: Store, pipeline: str, models: Path | ArtifactStore) -> None:
        self.store = store
        self.pipeline = pipeline
        if isinstance(models, Path):
            models = LocalArtifacts(models)
        self.artifacts = models
        self.models_dir = models.root if isinstance(models, LocalArtifacts) else None

    # ---- writing -----------------------------------------------------------------------

    def next_version(self) -> int:
        versions = self.store.models.versions(self.pipeline)
        return (versions[-1].version if versions else 0) + 1

    def write(
        self, model: Any, card: ModelCard, holdout: Holdout, estimator: Any = None
    ) -> ModelVersion:
        """Write a version's files durably and return it, not yet registered (with its
        performance ``estimator``, saved by its own ``save(folder)``, if given)."""
        with self.artifacts.staged(f"v{card.version}") as staged:  # replaces a crash's orphan
            path, digest = save_model(model, staged, card.serializer)
            if estimator is not None:
                estimator.save(staged)
            card.file = path.name
            card.sha256 = digest
            _save_holdout(staged / "holdout.npz", holdout)
            atomic_write_text(staged / "card.json", json.dumps(card.to_dict(), indent=2))
        return ModelVersion(
            pipeline=self.pipeline,
            version=card.version,
            path=f"models/v{card.version}/{path.name}",
            sha256=digest,
            run_id=card.run_id,
            metrics=card.metrics,
            card=card.to_dict(),
        )

    # ---- reading -----------------------------------------------------------------------

    def folder(self, version: int) -> Path:
        """A local folder with the files of ``version`` besides its model (in place for the
        workspace folder; a fresh download of its ``performance/`` files otherwise)."""
        if self.models_dir is not None:
            return self.models_dir / f"v{version}"
        found = self.artifacts.folder(f"v{version}/performance")
        return found.parent if found is not None else Path(f"v{version}-not-found")

    def get(self, version: int) -> ModelVersion:
        return self.store.models.get(self.pipeline, version)

    def alias(self, alias: str) -> ModelVersion | None:
        number = self.store.models.aliases(self.pipeline).get(alias)
        return None if number is None else self.get(number)

    def load(self, version: ModelVersion) -> Any:
        """The model of ``version``, verified against its checksum."""
        key = version.path.removeprefix("models/")
        try:
            data = self.artifacts.get(key)
        except ArtifactNotFoundError:
            data = None
        return model_from_bytes(data, version.sha256, key)

    def holdout(self, version: ModelVersion) -> Holdout | None:
        try:
            data = self.artifacts.get(f"v{version.version}/holdout.npz")
        except ArtifactNotFoundError:
            return None
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            return holdout_from(arrays)

    # ---- aliases -----------------------------------------------------------------------

    def promote(self, version: int, reason: str) -> list[AliasChange]:
        """Make ``version`` the champion; the old champion becomes ``previous``."""
        self.get(version)
        aliases = self.store.models.aliases(self.pipeline)
        current = aliases.get("champion")
        if current == version:
            raise OperationCancelled(f"v{version} is already the champion of '{self.pipeline}'")
        changes: dict[str, int | None] = {"champion": version}
        if current is not None:
            changes["previous"] = current
        if aliases.get("challenger") == version:
            changes["challenger"] = None
        return self.store.models.set_aliases(self.pipeline, changes, reason=reason)

    def rollback(self, reason: str) -> list[AliasChange]:
        """Swap ``champion`` and ``previous`` (a second rollback undoes the first)."""
        aliases = self.store.models.aliases(self.pipeline)
        if "previous" not in aliases:
            raise ModelVersionNotFoundError(
                self.pipeline,
                None,
                f"pipeline '{self.pipeline}' has no previous model to roll back to "
                f"(see `calmops models {self.pipeline}`)",
            )
        return self.store.models.set_aliases(
            self.pipeline,
            {"champion": aliases["previous"], "previous": aliases.get("champion")},
            reason=reason,
        )

    def prune(self, keep: int) -> list[int]:
        """Forget and delete the oldest versions beyond ``keep`` that no alias points to."""
        versions = [v.version for v in self.store.models.versions(self.pipeline)]
        held = set(self.store.models.aliases(self.pipeline).values())
        surplus = len(versions) - keep
        doomed = [v for v in versions if v not in held][: max(surplus, 0)]
        if doomed:
            self.store.models.delete(self.pipeline, doomed)
            for number in doomed:
                self.artifacts.delete(f"v{number}")
        return doomed


def holdout_arrays(holdout: Holdout) -> dict[str, np.ndarray]:
    """The arrays of a holdout, as saved in ``.npz`` files (no pickled objects)."""
    arrays = {"y_true": _plain_array(holdout.y_true), "y_pred": _plain_array(holdout.y_pred)}
    if holdout.proba is not None:
        arrays |= {"proba": np.asarray(holdout.proba), "classes": _plain_array(holdout.classes)}
    return arrays


def holdout_from(arrays: Any) -> Holdout:
    """A holdout read back from the arrays of :func:`holdout_arrays`."""
    if "proba" in arrays:
        return Holdout(arrays["y_true"], arrays["y_pred"], arrays["proba"], arrays["classes"])
    return Holdout(arrays["y_true"], arrays["y_pred"])


def _save_holdout(path: Path, holdout: Holdout) -> None:
    with path.open("wb") as handle:
        np.savez_compressed(handle, **holdout_arrays(holdout))


def _plain_array(values: Any) -> np.ndarray:
    array = np.asarray(values)
    return array.astype(str) if array.dtype == object else array
