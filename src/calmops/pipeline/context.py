"""``RunContext``: what one run knows, passed along its chain of steps.

The runner fills ``kind`` with the pipeline kind's behaviour (``calmops.pipeline.kinds``),
so the steps call ``ctx.kind`` and import no kind. :class:`KindHooks` is what they may call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from calmops.models.registry import ModelRegistry
from calmops.models.strategies import Batch
from calmops.pipeline.hooks import Hooks
from calmops.pipeline.performance_sections import EstimationSection
from calmops.pipeline.policy import Decision, Signal
from calmops.pipeline.report import ChallengerEntry
from calmops.pipeline.retained import RetainedData
from calmops.pipeline.sections import BlocksSection, IPIPSection, Period
from calmops.spec import PipelineSpec
from calmops.store import BreakerState, DriftRow, FileKey, MetricRow, ModelVersion, Store
from calmops.workspace import PipelinePaths

if TYPE_CHECKING:  # types only: the drift package is imported when a run first needs it
    from calmops.drift import DriftReport
    from calmops.drift.streaming import Detector

__all__ = ["Challenger", "KindHooks", "Learned", "RunContext"]


class KindHooks(Protocol):
    """Where a pipeline kind changes a run; ``calmops.pipeline.kinds.base.Kind`` documents
    each hook and gives the stream behaviour."""

    name: str

    def features(
        self, ctx: RunContext, frame: pd.DataFrame, features: pd.DataFrame
    ) -> pd.DataFrame: ...
    def check(self, ctx: RunContext) -> None: ...
    def drift_features(self, ctx: RunContext) -> pd.DataFrame: ...
    def score(self, ctx: RunContext) -> str: ...
    def monitor(self, ctx: RunContext) -> str | None: ...
    def decide(self, ctx: RunContext, decision: Decision) -> Decision: ...
    def holdout_rows(self, ctx: RunContext) -> np.ndarray: ...
    def model_factory(self, ctx: RunContext) -> Callable[[], Any]: ...
    def learn(self, ctx: RunContext) -> str: ...


@dataclass(frozen=True)
class Learned:
    """A model a kind learned while scoring (IPIP, block by block), and the labels and
    predictions it was scored on before it learned them."""

    model: Any
    y_true: np.ndarray
    y_pred: np.ndarray
    proba: Any = None  # metrics.Proba on the same rows, when the model has predict_proba


@dataclass
class Challenger:
    """A model trained in this run and how it fared against the champion."""

    version: ModelVersion
    strategy: str
    trained_on: str
    rows: int
    metrics: dict[str, float]
    champion_metrics: dict[str, float] | None
    comparison: dict[str, float] | None
    promoted: bool
    reason: str
    predictions: np.ndarray | None = None  # on the holdout rows (ctx.holdout_rows)
    proba: Any = None  # its probabilities on the holdout rows (metrics.Proba), if any

    def entry(self) -> ChallengerEntry:
        """What the run report keeps of it (the version number; no model, no predictions)."""
        kept = {f.name: getattr(self, f.name) for f in fields(ChallengerEntry)}
        return ChallengerEntry(**{**kept, "version": self.version.version})


@dataclass
class RunContext:
    """The inputs of a run and everything its steps have found so far."""

    run_id: str
    spec: PipelineSpec
    kind: KindHooks
    paths: PipelinePaths
    store: Store
    registry: ModelRegistry
    retained: RetainedData
    hooks: Hooks
    started_at: datetime
    source: Path | None = None
    file: FileKey | None = None
    frame: pd.DataFrame | None = None

    features: pd.DataFrame | None = None
    target: pd.Series | None = None
    row_keys: pd.DataFrame | None = None  # the data.id_columns of each row of ``features``
    blocks: pd.Series | None = None  # block kinds: the block id (text) of each row
    block_order: list[str] = field(default_factory=list)  # the ids in natural order
    notes: list[str] = field(default_factory=list)
    task: str | None = None
    period: Period | None = None  # first and last event time of the batch (data.time_column);
    # a time chunk's bin [start, end) (calmops.pipeline.chunks)

    champion: ModelVersion | None = None
    champion_model: Any = None
    predictions: np.ndarray | None = None
    proba: Any = None  # the champion's probabilities (metrics.Proba) for classifiers with them
    positive: Any = None  # the positive label, once found (pipeline.measure.positive)
    batch_metrics: dict[str, float] = field(default_factory=dict)

    signals: dict[str, Signal] = field(default_factory=dict)
    drift_report: DriftReport | None = None
    detector: Detector | None = None
    decision: Decision | None = None
    estimation: EstimationSection | None = None  # the label-free estimate (pipeline.estimation)

    train: Batch | None = None
    holdout: Batch | None = None
    holdout_rows: np.ndarray | None = None
    train_rows: np.ndarray | None = None
    challengers: list[Challenger] = field(default_factory=list)
    # adaptive retraining and attention (pipeline.changepoint, .candidates, .attention)
    change: Any = None  # ChangePoint located inside the batch, or None
    candidates: list[Any] = field(default_factory=list)  # CandidateScore of each history
    chance: Any = None  # Trivial: the champion against a constant prediction on the batch
    attention: list[str] = field(default_factory=list)
    aliases: dict[str, int | None] = field(default_factory=dict)
    alias_reason: str = ""

    block_section: BlocksSection | None = None  # block and IPIP kinds: the report's `blocks`
    ipip_section: IPIPSection | None = None  # IPIP: the report's `ipip`
    chunk: Any = None  # report.ChunkSection: which chunk of the data (data.chunk)
    extra_metrics: list[MetricRow] = field(default_factory=list)  # per block etc.
    extra_drift: list[DriftRow] = field(default_factory=list)  # per block
    learned: Learned | None = None  # IPIP: the model updated block by block while scoring

    breaker: BreakerState = field(default_factory=BreakerState)
    new_breaker: BreakerState | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def labelled(self) -> bool:
        return self.target is not None

    @property
    def champion_after(self) -> int | None:
        if "champion" in self.aliases:
            return self.aliases["champion"]
        return None if self.champion is None else self.champion.version
