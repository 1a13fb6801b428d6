"""Figures per stream and per method, and the targets of issue 13, from the runs' traces."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detection_kit.scoring import Detection, detect, mean_or_none, post_change_accuracy
from detection_kit.streams import Change
from detection_kit.trace import Trace

__all__ = ["Run", "Figures", "figures", "per_method", "per_stream", "targets"]

EVERY, NEVER, ORIGINAL = "every-batch", "never-retrain", "original-rule"


@dataclass(frozen=True)
class Run:
    """One method on one stream and seed, with the stream's ground truth."""

    stream: str
    drift: str
    seed: int
    changes: tuple[Change, ...]
    trace: Trace

    @property
    def n_batches(self) -> int:
        return len(self.trace.decisions)

    @property
    def detection(self) -> Detection:
        return detect(self.trace.retrains, self.changes, self.n_batches)

    @property
    def post_accuracy(self) -> float | None:
        return post_change_accuracy(self.trace.scores, self.changes)


@dataclass(frozen=True)
class Figures:
    """What a set of runs of one method adds up to."""

    runs: int
    detection: Detection
    post_accuracy: float | None  # mean over streams (drifting ones, or the given set)
    retrains: float  # per run
    promotions: float  # per run
    failed: int
    paused: int
    seconds: float  # per run

    def to_dict(self) -> dict[str, Any]:
        d = self.detection
        return {
            "runs": self.runs,
            "f1": d.f1,
            "precision": d.precision,
            "recall": d.recall,
            "mean_delay": d.mean_delay,
            "false_per_20_stationary": d.false_per_20,
            "changes": d.changes,
            "detected": d.detected,
            "false_retrains": d.false,
            "stationary_batches": d.stationary,
            "post_change_balanced_accuracy": self.post_accuracy,
            "retrains_per_run": self.retrains,
            "promotions_per_run": self.promotions,
            "failed_runs": self.failed,
            "paused_runs": self.paused,
            "seconds_per_run": self.seconds,
        }


def figures(runs: Sequence[Run]) -> Figures:
    """Pooled detection counts; accuracy as the mean over streams of the mean over seeds."""
    detection = sum((r.detection for r in runs), Detection())
    by_stream: dict[str, list[float | None]] = defaultdict(list)
    for r in runs:
        by_stream[r.stream].append(r.post_accuracy)
    n = max(len(runs), 1)
    return Figures(
        runs=len(runs),
        detection=detection,
        post_accuracy=mean_or_none(mean_or_none(v) for v in by_stream.values()),
        retrains=sum(len(r.trace.retrains) for r in runs) / n,
        promotions=sum(len(r.trace.promotions) for r in runs) / n,
        failed=sum(r.trace.failed for r in runs),
        paused=sum(r.trace.paused for r in runs),
        seconds=sum(r.trace.seconds for r in runs) / n,
    )


def _group(runs: Iterable[Run], key) -> dict[Any, list[Run]]:
    groups: dict[Any, list[Run]] = defaultdict(list)
    for r in runs:
        groups[key(r)].append(r)
    return dict(groups)


def per_stream(runs: Sequence[Run]) -> dict[str, dict[str, Figures]]:
    """``{stream: {method: Figures}}``."""
    return {
        stream: {m: figures(rs) for m, rs in _group(group, lambda r: r.trace.method).items()}
        for stream, group in _group(runs, lambda r: r.stream).items()
    }


def per_method(runs: Sequence[Run]) -> dict[str, dict[str, Figures]]:
    """``{method: {"drifting": Figures, "stationary": Figures, "all": Figures}}``: detection
    and post-change accuracy over streams with changes, accuracy over the no-drift streams,
    false retrains and counts over all."""
    out = {}
    for method, group in _group(runs, lambda r: r.trace.method).items():
        out[method] = {
            "drifting": figures([r for r in group if r.changes]),
            "stationary": figures([r for r in group if not r.changes]),
            "all": figures(group),
        }
    return out


def targets(runs: Sequence[Run], method: str = "default") -> list[dict[str, Any]]:
    """The issue's targets for ``method``, against every-batch on the same streams and seeds."""
    mine = [r for r in runs if r.trace.method == method]
    keys = {(r.stream, r.seed) for r in mine}
    every = [r for r in runs if r.trace.method == EVERY and (r.stream, r.seed) in keys]
    if not mine or not every:
        return []
    drifting = figures([r for r in mine if r.changes])
    every_drifting = figures([r for r in every if r.changes])
    everything, every_all = figures(mine), figures(every)
    d = drifting.detection
    acc, ref = drifting.post_accuracy, every_drifting.post_accuracy
    gap = None if acc is None or ref is None else ref - acc
    ratio = everything.retrains / every_all.retrains if every_all.retrains else None

    def row(name: str, value: float | None, shown: str, ok: bool | None) -> dict[str, Any]:
        return {"target": name, "value": value, "shown": shown, "passed": ok}

    def fmt(x: float | None, spec: str = ".2f") -> str:
        return "n/a" if x is None else format(x, spec)

    return [
        row("detection F1 >= 0.9", d.f1, fmt(d.f1), None if d.f1 is None else d.f1 >= 0.9),
        row(
            "mean delay <= 1 batch",
            d.mean_delay,
            fmt(d.mean_delay),
            None if d.mean_delay is None else d.mean_delay <= 1,
        ),
        row(
            "<= 1 false retrain per 20 stationary batches",
            everything.detection.false_per_20,
            fmt(everything.detection.false_per_20),
            None
            if everything.detection.false_per_20 is None
            else everything.detection.false_per_20 <= 1,
        ),
        row(
            "post-change accuracy within 0.03 of every-batch",
            gap,
            f"{fmt(acc, '.3f')} vs {fmt(ref, '.3f')} (gap {fmt(gap, '+.3f')})",
            None if gap is None else gap <= 0.03,
        ),
        row(
            "retrains <= 1/3 of every-batch's",
            ratio,
            f"{everything.retrains:.1f} vs {every_all.retrains:.1f} per run (ratio {fmt(ratio)})",
            None if ratio is None else ratio <= 1 / 3,
        ),
    ]


def real_figures(traces: Sequence[Trace]) -> dict[str, dict[str, Any]]:
    """Per method on a real data set: mean prequential score, retrains, batch by batch."""
    out = {}
    for method, group in _group(
        (Run("real", "unknown", 0, (), t) for t in traces), lambda r: r.trace.method
    ).items():
        per_batch = np.array(
            [[np.nan if s is None else s for s in r.trace.scores] for r in group], dtype=float
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # batch 0 has no score
            batch_means = np.nanmean(per_batch, axis=0)
        out[method] = {
            "runs": len(group),
            "balanced_accuracy": mean_or_none(r.post_accuracy for r in group),
            "per_batch": [None if np.isnan(v) else round(float(v), 4) for v in batch_means],
            "retrains_per_run": sum(len(r.trace.retrains) for r in group) / len(group),
            "promotions_per_run": sum(len(r.trace.promotions) for r in group) / len(group),
            "failed_runs": sum(r.trace.failed for r in group),
            "paused_runs": sum(r.trace.paused for r in group),
        }
    return out
