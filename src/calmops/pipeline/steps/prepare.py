"""Step ``prepare``: order the rows by the event time (``data.time_column``), split features
from the target and every other role column (block, ids, time, excluded: never features), run
the preprocess hook, and check the features against the champion's (missing ones fail the run,
extra ones are ignored)."""

from __future__ import annotations

import pandas as pd

from calmops.errors import DataValidationError
from calmops.pipeline.context import RunContext
from calmops.pipeline.roles import check_role_columns, order_by_time, role_notes

MIN_LABELLED_ROWS = 10


def prepare(ctx: RunContext) -> str:
    spec, frame = ctx.spec, ctx.frame
    assert frame is not None
    ctx.champion = ctx.registry.alias("champion")
    frame = _apply_roles(ctx, frame)
    if ctx.champion is not None:  # labelled or not, the batch has the champion's task
        ctx.task = ctx.champion.card.get("task")
    target = spec.data.target
    if target and target in frame.columns:
        labelled = frame[target].notna()
        if not labelled.all():
            ctx.notes.append(f"{(~labelled).sum():,} rows without a '{target}' value were left out")
            frame = frame[labelled].reset_index(drop=True)
        ctx.target = frame[target].reset_index(drop=True)
    elif target:
        ctx.notes.append(
            f"no '{target}' column: no realized performance for this batch until its labels "
            "come (`calmops labels`)"
        )
    ids = [c for c in spec.data.id_columns if c in frame]
    ctx.row_keys = frame[ids].reset_index(drop=True) if ids else None
    features = frame.drop(columns=[c for c in spec.data.role_columns() if c in frame])
    features = ctx.hooks.apply_preprocess(features.reset_index(drop=True))
    if features.empty or len(features.columns) == 0:
        raise DataValidationError("the batch has no feature columns or no rows")
    features = ctx.kind.features(ctx, frame.reset_index(drop=True), features)
    ctx.features = _match_champion(ctx, features)
    if ctx.labelled:
        _check_target(ctx)
    ctx.kind.check(ctx)
    return f"{len(ctx.features):,} rows, {len(ctx.features.columns)} features" + (
        ", labelled" if ctx.labelled else ", unlabelled"
    )


def _apply_roles(ctx: RunContext, frame: pd.DataFrame) -> pd.DataFrame:
    """Check the id and time columns are there, order the rows by time, warn of columns
    that look like ids or times and have no role."""
    data = ctx.spec.data
    check_role_columns(data, frame)
    _retire_champion_using_roles(ctx)
    ctx.notes.extend(role_notes(data, frame))
    if not data.time_column:
        return frame
    frame, period = order_by_time(frame, data.time_column)
    if ctx.period is None:  # a chunk's own period, when it has one, is kept
        ctx.period = period
    return frame


def _retire_champion_using_roles(ctx: RunContext) -> None:
    """A champion trained before a column got its role (id, time, excluded) needs it as a
    feature; it is set aside so this batch trains a model without it, as a first model."""
    if ctx.champion is None:
        return
    data = ctx.spec.data
    roles = {*data.id_columns, *data.exclude, data.time_column} - {None}
    used = [f["name"] for f in ctx.champion.card.get("features", []) if f["name"] in roles]
    if used:
        ctx.notes.append(
            f"the champion v{ctx.champion.version} uses columns that now have a role "
            f"({', '.join(used)}) as features: it is set aside and a model is trained "
            "without them"
        )
        ctx.champion = None


def _match_champion(ctx: RunContext, features: pd.DataFrame) -> pd.DataFrame:
    if ctx.champion is None:
        return features
    expected = [f["name"] for f in ctx.champion.card.get("features", [])]
    missing = [name for name in expected if name not in features.columns]
    if missing:
        raise DataValidationError(
            f"the batch lacks feature columns the champion v{ctx.champion.version} needs: "
            f"{', '.join(missing)}"
        )
    extra = [name for name in features.columns if name not in expected]
    if extra:
        ctx.notes.append(f"columns the champion does not use were ignored: {', '.join(extra)}")
    ordered = features[expected]
    _check_numbers(ctx.champion.card.get("features", []), ordered)
    empty = [name for name in expected if ordered[name].isna().all()]
    if empty:
        ctx.notes.append(f"features with no values in this batch (imputed): {', '.join(empty)}")
    return ordered


def _check_target(ctx: RunContext) -> None:
    from calmops.models.factory import declared_estimator
    from calmops.models.task import infer_task

    y = ctx.target
    assert y is not None and ctx.features is not None
    if ctx.champion is not None:
        ctx.task = ctx.champion.card["task"]
    else:
        ctx.task = infer_task(ctx.spec.model.task, declared_estimator(ctx.spec.model), y)
    if len(y) < MIN_LABELLED_ROWS:
        raise DataValidationError(
            f"only {len(y)} labelled rows: at least {MIN_LABELLED_ROWS} are needed to train "
            "and evaluate"
        )
    if ctx.champion is not None and ctx.task == "classification":
        _check_label_types(ctx, y)
    if ctx.task == "regression" and not pd.api.types.is_numeric_dtype(y):
        raise DataValidationError(
            f"the target '{ctx.spec.data.target}' is not numeric, but the task is regression"
        )
    if ctx.champion is None:
        if ctx.task == "classification" and y.nunique() < 2:
            raise DataValidationError(
                f"the target '{ctx.spec.data.target}' has a single class ({_plain(y.iloc[0])!r}): "
                "a classifier needs at least two"
            )
        empty = [c for c in ctx.features.columns if ctx.features[c].isna().all()]
        if empty:
            raise DataValidationError(
                f"feature columns with no values at all: {', '.join(empty)}; drop them "
                "(a preprocess hook can) or fix the data before training"
            )


def _check_numbers(card_features: list[dict], features: pd.DataFrame) -> None:
    """A feature the champion learned as a number must hold numbers: name the first word."""
    for feature in card_features:
        column = features[feature["name"]]
        if feature.get("kind") != "numeric" or pd.api.types.is_numeric_dtype(column):
            continue
        if pd.api.types.is_bool_dtype(column):
            continue
        parsed = pd.to_numeric(column, errors="coerce")
        bad = parsed.isna() & column.notna()
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise DataValidationError(
                f"feature '{feature['name']}' must be a number (row {row + 1}: "
                f"{column.iloc[row]!r}); {int(bad.sum()):,} value(s) are not"
            )
        features[feature["name"]] = parsed


def _check_label_types(ctx: RunContext, y: pd.Series) -> None:
    """Labels of another type than the champion's classes (text vs numbers) are a clear error,
    not a comparison that fails deep inside the metrics."""
    classes = ctx.champion.card.get("classes") or []
    if not classes:
        return
    numeric_classes = all(isinstance(c, int | float) and not isinstance(c, bool) for c in classes)
    values = pd.unique(y)
    numeric_labels = pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y)
    if numeric_labels == numeric_classes:
        return
    shown = ", ".join(repr(_plain(v)) for v in values[:5]) + (", ..." if len(values) > 5 else "")
    known = ", ".join(repr(c) for c in classes[:5]) + (", ..." if len(classes) > 5 else "")
    raise DataValidationError(
        f"the labels in '{ctx.spec.data.target}' are {'numbers' if numeric_labels else 'text'} "
        f"({shown}) but the champion v{ctx.champion.version} was trained on "
        f"{'numbers' if numeric_classes else 'text'} ({known}): write the labels as the "
        "champion's classes (a preprocess hook can map them), or create a new pipeline"
    )


def _plain(value):
    return value.item() if hasattr(value, "item") else value
