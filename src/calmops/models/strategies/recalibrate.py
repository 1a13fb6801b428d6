"""``recalibrate``: the frozen champion with its probabilities recalibrated on recent data."""

from __future__ import annotations

from calmops.errors import StrategyError
from calmops.models.strategies.base import Trained, TrainingContext


class Recalibrate:
    """Calibrate the frozen champion (sigmoid or isotonic) on the new batch."""

    name = "recalibrate"

    def fit(self, context: TrainingContext) -> Trained:
        if context.task != "classification":
            raise StrategyError("recalibrate applies to classifiers only")
        if context.champion is None:
            raise StrategyError("recalibrate needs a champion to calibrate; none exists yet")
        if not callable(getattr(context.champion, "predict_proba", None)):
            raise StrategyError("recalibrate needs a champion with predict_proba")
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator

        unseen = set(context.new.y.unique()) - set(context.champion.classes_.tolist())
        if unseen:
            raise StrategyError(
                f"recalibrate cannot add classes the champion never saw: {sorted(unseen, key=str)}"
            )
        method = context.settings.calibration
        model = CalibratedClassifierCV(FrozenEstimator(context.champion), method=method)
        model.fit(context.new.X, context.new.y)
        return Trained(
            model,
            context.new.X,
            f"the champion, {method}-calibrated on {len(context.new):,} rows",
        )
