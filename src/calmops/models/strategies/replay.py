"""``replay``: the new batch plus a seeded sample of past rows."""

from __future__ import annotations

import numpy as np

from calmops.models.strategies.base import Batch, Trained, TrainingContext, concat


class Replay:
    """Retrain on the new batch plus ``replay_fraction`` of the retained rows, drawn at random."""

    name = "replay"

    def fit(self, context: TrainingContext) -> Trained:
        parts = [context.new]
        replayed = 0
        if context.history:
            past = concat(context.history)
            replayed = int(round(context.settings.replay_fraction * len(past)))
            rng = np.random.default_rng(context.seed)
            chosen = np.sort(rng.choice(len(past), size=replayed, replace=False))
            parts.insert(
                0,
                Batch(
                    past.X.iloc[chosen].reset_index(drop=True),
                    past.y.iloc[chosen].reset_index(drop=True),
                ),
            )
        data = concat(parts)
        model = context.make_model().fit(data.X, data.y)
        return Trained(
            model, data.X, f"the new batch ({len(context.new):,} rows) + {replayed:,} replayed"
        )
