"""``window``: a fresh model on the most recent rows or batches only."""

from __future__ import annotations

from calmops.models.strategies.base import Trained, TrainingContext, concat

DEFAULT_BATCHES = 3


class Window:
    """Retrain on the last ``window_rows`` rows, or the last ``window_batches`` batches."""

    name = "window"

    def fit(self, context: TrainingContext) -> Trained:
        batches = [*context.history, context.new]
        settings = context.settings
        if settings.window_rows is not None:
            data = concat(batches)
            data = type(data)(
                data.X.iloc[-settings.window_rows :].reset_index(drop=True),
                data.y.iloc[-settings.window_rows :].reset_index(drop=True),
            )
            described = f"the last {len(data):,} rows"
        else:
            count = settings.window_batches or DEFAULT_BATCHES
            data = concat(batches[-count:])
            used = min(count, len(batches))
            described = (
                f"the last batch ({len(data):,} rows)"
                if used == 1
                else f"the last {used} batches ({len(data):,} rows)"
            )
        model = context.make_model().fit(data.X, data.y)
        # an explicit row count is a cap: the model is not refitted beyond it
        labels = None if settings.window_rows else data.y
        return Trained(model, data.X, described, labels=labels)
