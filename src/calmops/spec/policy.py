"""The policy sections of a spec: drift, decision, promotion, retrain and breaker.

Together they say when a pipeline retrains, how, and when a challenger replaces the champion;
every threshold has a default that suits a first deployment.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from calmops.spec.registered import RegistryName, checks_names
from calmops.spec.sections import _Section

__all__ = [
    "BreakerSpec",
    "DecisionSpec",
    "DriftSpec",
    "PromotionSpec",
    "RetentionSpec",
    "RetrainSpec",
]

MetricName = RegistryName("calmops.models.metrics", "METRICS", also=("custom",))
StrategyName = RegistryName("calmops.models.strategies", "STRATEGIES")
Signal = Literal["performance", "detector", "data", "prediction", "label", "estimated_performance"]


class DriftSpec(_Section):
    """How each batch is compared with the champion's reference data."""

    alpha: float = Field(0.05, gt=0, lt=1, description="Significance level of p-value tests.")
    correction: Annotated[str, RegistryName("calmops.drift", "CORRECTIONS")] = Field(
        "holm", description="Multiple-testing correction across features."
    )
    dataset_rule: Literal["any", "share"] = Field(
        "any",
        description="Dataset drift: `any` feature that drifts significantly (corrected "
        "p-value) and materially (effect size at its threshold), or a `share` of them.",
    )
    drift_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="With `dataset_rule: share`, the share of drifted features that means "
        "dataset drift.",
    )
    numeric_test: Annotated[
        str | None, RegistryName("calmops.drift", "TESTS", applies_to="numeric")
    ] = Field(None, description="Force one test for numeric features (default: chosen by size).")
    categorical_test: Annotated[
        str | None, RegistryName("calmops.drift", "TESTS", applies_to="categorical")
    ] = Field(
        None, description="Force one test for categorical features (default: chosen by size)."
    )
    detector: Annotated[
        str, RegistryName("calmops.drift.streaming", "DETECTORS", also=("none",))
    ] = Field("adwin", description="Streaming detector on the per-row error stream, or `none`.")
    detector_params: dict[str, float | int | str] = Field(
        default_factory=dict, description="Parameters of the streaming detector."
    )


class DecisionSpec(_Section):
    """Which signals make a labelled batch retrain, and how sure they must be."""

    retrain_on: tuple[Signal, ...] = Field(
        ("performance", "detector"),
        description="Signals that trigger retraining: performance, detector, data, "
        "prediction (predictions vs the champion's held-out ones), label (labels vs the "
        "training labels); `estimated_performance` (the label-free estimate of the "
        "champion's decision metric, see docs) raises an `alert` on a batch without labels "
        "and stands for `performance` on a labelled one; with `prediction_only` (never "
        "retrains) it raises the `alert` on any batch whose performance fell.",
    )
    metric: Annotated[str | None, MetricName] = Field(
        None,
        description="Primary metric (default: balanced_accuracy, or rmse for regression); "
        "`custom`: the `metric` function of the hooks file. See docs/metrics.md.",
    )
    positive_label: str | int | bool | None = Field(
        None,
        description="Positive class of precision, recall, f1, roc_auc, average_precision "
        "(default: 1 / True for 0/1 and boolean labels, else the least frequent class of the "
        "first batch; kept in the model card).",
    )
    max_drop: float = Field(
        0.02,
        ge=0,
        description="Performance drift: the metric is worse than the champion's baseline by "
        "more than this share of it, with `confidence`.",
    )
    confidence: float = Field(
        0.99, gt=0.5, lt=1, description="Confidence of the bootstrap intervals."
    )
    bootstrap: int = Field(500, ge=100, description="Bootstrap resamples.")


class PromotionSpec(_Section):
    """When a challenger replaces the champion."""

    holdout: float = Field(
        0.25, gt=0, lt=1, description="Share of each labelled batch held out for evaluation."
    )
    refit: bool = Field(
        True,
        description="Refit a challenger that won on its training rows plus the holdout rows it "
        "won on before saving it, so the newest labelled rows serve too (its reported metrics "
        "stay those measured on the holdout).",
    )
    margin: float = Field(
        0.0, ge=0, description="The challenger must beat the champion by more than this."
    )
    thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Absolute bounds, e.g. {balanced_accuracy: 0.7} (a maximum for errors).",
    )
    significance: float | None = Field(
        0.05,
        gt=0,
        lt=1,
        description="A paired bootstrap p-value below this is needed, against the champion and "
        "against a trivial model (majority class / mean); null: point estimates only.",
    )
    keep_versions: int = Field(
        10, ge=2, description="Model versions kept; older ones without an alias are pruned."
    )

    @field_validator("thresholds")
    @classmethod
    def _metric_names(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        if checks_names(info):
            for name in value:
                MetricName.check(name)
        return value


class RetrainSpec(_Section):
    """How a challenger is trained when the pipeline decides to retrain."""

    strategy: Annotated[str, StrategyName] = Field(
        "adaptive",
        description="Retraining strategy; `adaptive` trains candidates on all retained rows, a "
        "recent window, the last batch and the rows since a located change, and keeps the one "
        "that serves the newest rows best.",
    )
    fallback: Annotated[str | None, StrategyName] = Field(
        None, description="Strategy tried when the first challenger fails or is rejected."
    )
    window_rows: int | None = Field(None, gt=0, description="window: train on the last N rows.")
    window_batches: int | None = Field(
        None,
        gt=0,
        description="window: train on the last K batches (if no window_rows; default 3).",
    )
    replay_fraction: float = Field(
        0.3, gt=0, le=1, description="replay: share of past rows sampled beside the new batch."
    )
    calibration: Literal["sigmoid", "isotonic"] = Field(
        "sigmoid", description="recalibrate: calibration method."
    )
    max_retained_rows: int = Field(
        200_000, gt=0, description="Training rows kept under data/ (oldest dropped first)."
    )

    @model_validator(mode="after")
    def _fallback_differs(self) -> RetrainSpec:
        if self.fallback is not None and self.fallback == self.strategy:
            raise ValueError("retrain.fallback: must differ from retrain.strategy")
        return self


class BreakerSpec(_Section):
    """The circuit breaker: consecutive failures pause retraining, with backoff."""

    max_failures: int = Field(3, ge=1, description="Consecutive failures that open it.")
    count_errors: bool = Field(True, description="Runs that fail with an error count.")
    count_rejections: bool | None = Field(
        None,
        description="Deprecated and ignored: rejected challengers never count (a challenger "
        "losing is the loop working, not failing).",
    )
    backoff_minutes: float = Field(30, gt=0, description="First pause.")
    backoff_factor: float = Field(2.0, ge=1, description="Each new opening multiplies the pause.")
    max_backoff_minutes: float = Field(1440, gt=0, description="Longest pause.")


class RetentionSpec(_Section):
    """How many finished runs the store and ``metrics/runs/`` keep (older ones are pruned).

    The default bounds a pipeline's history at about 10,000 runs: at the soak's sizes (about
    25 KB a run, store and report file together) that is about 250 MB, a week of one batch a
    minute or a year of one an hour. Pruning never forgets a processed file (the ledger
    stays), nor a run a model version was trained by, nor a run ``calmops retry`` can still
    take up (a failed file not retried yet, a batch the breaker paused), nor a running one.
    """

    keep_runs: int | None = Field(
        10_000,
        ge=1,
        description="The newest runs kept; older finished runs are pruned after each run "
        "(with their metrics, drift rows, report file and prediction log). null: keep every "
        "run.",
    )
    keep_days: float | None = Field(
        None,
        gt=0,
        description="Also prune runs that started more than this many days ago (null: no age "
        "limit). A run goes when either limit says so.",
    )
