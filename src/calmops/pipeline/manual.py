"""Moving the champion by hand (``calmops promote/rollback``, the dashboard's buttons).

Every move by hand needs a reason. Before it, :func:`check_move` scores the chosen version
and the current champion on the same rows, the newest labelled batch neither of them was
trained on (a batch whose run came after both were made), and says when the chosen one
scored worse there. :func:`move_champion` then moves the aliases with the reason in the
store's alias history (the audit trail) and writes one line to the pipeline's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import numpy as np

from calmops.errors import SpecError
from calmops.store import AliasChange, ModelVersion
from calmops.workspace import Workspace

__all__ = ["ManualMove", "MoveCheck", "check_move", "move_champion", "require_reason"]

MAX_REASON = 500


@dataclass(frozen=True)
class MoveCheck:
    """The chosen version against the champion on the same rows (None fields: not known)."""

    version: int
    champion: int | None
    metric: str | None = None
    chosen_score: float | None = None
    champion_score: float | None = None
    rows: int = 0
    batch: str | None = None
    warning: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ManualMove:
    """What a move by hand changed, and the warning it carried."""

    changes: list[AliasChange]
    check: MoveCheck
    reason: str


def require_reason(reason: str | None) -> str:
    """The reason, stripped; a clear error when it is missing or too long.

    >>> require_reason("  v2 misses the new site  ")
    'v2 misses the new site'
    >>> require_reason(" ")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calmops.errors.SpecError: a reason is required for promote and rollback (say why, ...
    """
    text = (reason or "").strip()
    if not text:
        raise SpecError(
            'a reason is required for promote and rollback (say why, e.g. --reason "v3 fails '
            'on site B")'
        )
    if len(text) > MAX_REASON:
        raise SpecError(f"the reason has {len(text)} characters; at most {MAX_REASON}")
    return text


def check_move(ws: Workspace, name: str, version: int) -> MoveCheck:
    """Score ``version`` and the champion on the newest batch neither was trained on."""
    registry = _registry(ws, name)
    chosen = registry.get(version)
    champion = registry.alias("champion")
    if champion is None or champion.version == version:
        return MoveCheck(version, None if champion is None else champion.version)
    task = (chosen.card or {}).get("task") or "classification"
    metric = _metric_name(ws, name, task)
    found = _unseen_batch(ws, name, (chosen, champion))
    if found is None:
        note = (
            f"No labelled batch came after both v{version} and v{champion.version} were "
            "trained, so they cannot be compared on the same new rows."
        )
        return MoveCheck(version, champion.version, metric, note=note)
    batch, frame, y = found
    ours = _score(registry, chosen, frame, y, task, metric)
    theirs = _score(registry, champion, frame, y, task, metric)
    check = MoveCheck(version, champion.version, metric, ours, theirs, len(y), batch)
    if ours is None or theirs is None:
        return check
    better = ours > theirs if _higher(metric) else ours < theirs
    said = (
        f"v{version} scored {ours:.3f} {metric} against the champion v{champion.version}'s "
        f"{theirs:.3f} on the {len(y):,} rows of {batch} (the newest batch neither was "
        "trained on)"
    )
    if better or ours == theirs:
        return MoveCheck(**{**check.__dict__, "note": said + "."})
    return MoveCheck(**{**check.__dict__, "warning": said + ": it is worse there."})


def move_champion(
    ws: Workspace, name: str, version: int | None, reason: str, *, by: str
) -> ManualMove:
    """Promote ``version`` (None: roll back to ``previous``) with ``reason``, written to the
    alias history and the pipeline's log; ``by`` says where (``"the CLI"``)."""
    reason = require_reason(reason)
    registry = _registry(ws, name)
    if version is None:
        previous = registry.alias("previous")
        if previous is not None:
            registry.load(previous)  # refuse a file that is missing or altered
            check = check_move(ws, name, previous.version)
        else:
            check = MoveCheck(0, None)
        audit = f"rolled back by hand ({by}): {reason}"
        changes = registry.rollback(reason=audit)
    else:
        registry.load(registry.get(version))
        check = check_move(ws, name, version)
        audit = f"promoted by hand ({by}) to v{version}: {reason}"
        changes = registry.promote(version, reason=audit)
    from calmops.pipeline.log import PipelineLog

    moved = ", ".join(f"{c.alias} {_v(c.old_version)} → {_v(c.new_version)}" for c in changes)
    level = "warning" if check.warning else "info"
    line = f"{audit} ({moved})" + (f"; warned: {check.warning}" if check.warning else "")
    PipelineLog(ws.paths(name).logs, name).event(level, "manual_move", line, reason=reason)
    return ManualMove(changes, check, reason)


def _registry(ws: Workspace, name: str):
    from calmops.models.registry import ModelRegistry

    ws.get(name)
    return ModelRegistry(ws.store, name, ws.paths(name).artifacts.child("models"))


def _metric_name(ws: Workspace, name: str, task: str) -> str:
    chosen = ((ws.get(name).spec or {}).get("decision") or {}).get("metric")
    if chosen and chosen != "custom":
        return chosen
    return "rmse" if task == "regression" else "balanced_accuracy"


def _higher(metric: str) -> bool:
    from calmops.models.metrics import METRICS

    return METRICS.get(metric).higher_is_better if metric in METRICS else True


def _unseen_batch(ws: Workspace, name: str, versions: tuple[ModelVersion, ...]):
    """``(file name, features, labels)`` of the newest retained batch whose run started after
    every version in ``versions`` was made, or None."""

    from calmops.pipeline.retained import TARGET_COLUMN, RetainedData

    made = [ws.store.runs.get(name, v.run_id).started_at for v in versions if v.run_id]
    retained = RetainedData(ws.store, name, ws.paths(name).artifacts.child("data"))
    for run in ws.store.runs.list(name, limit=50):
        if run.status != "succeeded" or any(run.started_at <= when for when in made):
            continue
        frame = retained.read(run.id)
        if frame is not None:
            if TARGET_COLUMN in frame.columns and len(frame):
                y = frame.pop(TARGET_COLUMN).to_numpy()
                return PurePath(run.source or run.id).name, frame, y
    return None


def _score(registry, version: ModelVersion, frame, y, task: str, metric: str) -> float | None:
    from calmops.models.metrics import get_metric, predict_proba, scores

    names = [f.get("name") for f in (version.card or {}).get("features") or []]
    if not names or any(n not in frame.columns for n in names):
        return None
    model = registry.load(version)
    X = frame[names]
    proba = predict_proba(model, X) if get_metric(metric, task).needs_proba else None
    positive = (version.card or {}).get("positive_label")
    found = scores(y, np.asarray(model.predict(X)), task, proba=proba, positive=positive)
    value = found.get(metric)
    return None if value is None or not np.isfinite(value) else float(value)


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"


def describe(check: MoveCheck) -> dict[str, Any]:
    """The check as the API answers it."""
    return dict(check.__dict__)
