"""``RunContext``: what one run knows, passed along its chain of steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calmops.models.registry import ModelRegistry
from calmops.models.strategies import Batch
from calmops.pipeline.hooks import Hooks
from calmops.pipeline.policy import Decision, Signal
from calmops.pipeline.retained import RetainedData
from calmops.spec import PipelineSpec
from calmops.store import BreakerState, FileKey, ModelVersion, Store
from calmops.workspace import PipelinePaths

__all__ = ["Challenger", "RunContext"]


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


@dataclass
class RunContext:
    """The inputs of a run and everything its steps have found so far."""

    run_id: str
    spec: PipelineSpec
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
    blocks: pd.Series | None = None  # block kinds: the block id (text) of each row
    block_order: list[str] = field(default_factory=list)  # the ids in natural order
    notes: list[str] = field(default_factory=list)
    task: str | None = None

    champion: ModelVersion | None = None
    champion_model: Any = None
    predictions: np.ndarray | None = None
    batch_metrics: dict[str, float] = field(default_factory=dict)

    signals: dict[str, Signal] = field(default_factory=dict)
    drift_report: Any = None
    detector: Any = None
    decision: Decision | None = None

    train: Batch | None = None
    holdout: Batch | None = None
    holdout_rows: np.ndarray | None = None
    challengers: list[Challenger] = field(default_factory=list)
    aliases: dict[str, int | None] = field(default_factory=dict)
    alias_reason: str = ""

    kind_report: dict[str, Any] = field(default_factory=dict)  # report sections of the kind
    extra_metrics: list[Any] = field(default_factory=list)  # MetricRow per block etc.
    extra_drift: list[Any] = field(default_factory=list)  # DriftRow per block
    learned: Any = None  # ipip: the model updated block by block while scoring, and its scores

    breaker: BreakerState = field(default_factory=BreakerState)
    new_breaker: BreakerState | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def kind(self) -> Any:
        """The pipeline kind's behaviour (``calmops.pipeline.kinds``)."""
        from calmops.pipeline.kinds import get_kind

        return get_kind(self.spec.kind)

    @property
    def labelled(self) -> bool:
        return self.target is not None

    @property
    def champion_after(self) -> int | None:
        if "champion" in self.aliases:
            return self.aliases["champion"]
        return None if self.champion is None else self.champion.version
