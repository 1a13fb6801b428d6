"""The compact tables the benchmark prints (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from detection_kit.summary import EVERY, NEVER, ORIGINAL, Figures

__all__ = ["print_matrix", "print_methods", "print_real", "print_streams", "print_targets"]


def _f(x: float | None, spec: str = ".2f") -> str:
    return "—" if x is None else format(x, spec)


def print_streams(
    console: Console, streams: dict[str, dict[str, Figures]], drifts: dict[str, str]
) -> None:
    table = Table(title="Per stream: default pipeline vs baselines (mean over seeds)", box=None)
    heads = ["stream", "drift", "F1", "delay", "FP/20", "retr", "acc"]
    heads += ["every acc", "retr", "never acc", "orig F1", "FP/20", "retr", "acc"]
    for h in heads:
        table.add_column(h, justify="left" if h in ("stream", "drift") else "right")
    for stream, methods in streams.items():
        d, e, n, o = (methods.get(k) for k in ("default", EVERY, NEVER, ORIGINAL))
        cells = [stream, drifts[stream]]
        cells += _detection(d) if d else ["—"] * 5
        cells += [_f(e.post_accuracy, ".3f"), _f(e.retrains, ".1f")] if e else ["—"] * 2
        cells += [_f(n.post_accuracy, ".3f") if n else "—"]
        if o:
            cells += [_f(o.detection.f1), _f(o.detection.false_per_20, ".1f")]
            cells += [_f(o.retrains, ".1f"), _f(o.post_accuracy, ".3f")]
        else:
            cells += ["—"] * 4
        table.add_row(*cells)
    console.print(table)
    console.print(
        "acc: prequential balanced accuracy from the first change on (all batches after the "
        "first without one); FP/20: false retrains per 20 stationary batches; retr: batches "
        "retrained on per run."
    )


def _detection(f: Figures) -> list[str]:
    d = f.detection
    return [
        _f(d.f1),
        _f(d.mean_delay, ".1f"),
        _f(d.false_per_20, ".1f"),
        _f(f.retrains, ".1f"),
        _f(f.post_accuracy, ".3f"),
    ]


def print_methods(console: Console, methods: dict[str, dict[str, Figures]], same: dict) -> None:
    table = Table(title="Every method, all streams", box=None)
    heads = ["method", "runs", "F1", "delay", "FP/20", "retr/run", "promo/run"]
    heads += ["post acc", "no-drift acc", "failed", "paused", "s/run"]
    for h in heads:
        table.add_column(h, justify="left" if h == "method" else "right")
    for method, parts in methods.items():
        drift, calm, every = parts["drifting"], parts["stationary"], parts["all"]
        table.add_row(
            method,
            str(every.runs),
            _f(drift.detection.f1),
            _f(drift.detection.mean_delay, ".1f"),
            _f(every.detection.false_per_20, ".1f"),
            _f(every.retrains, ".1f"),
            _f(every.promotions, ".1f"),
            _f(drift.post_accuracy, ".3f"),
            _f(calm.post_accuracy, ".3f"),
            str(every.failed),
            str(every.paused),
            _f(every.seconds, ".1f"),
        )
    for method, twin in same.items():
        table.add_row(f"{method}: the same spec as {twin}, not run again")
    console.print(table)


def print_targets(console: Console, rows: Sequence[dict[str, Any]], method: str) -> None:
    table = Table(title=f"Targets of issue 13 for '{method}'", box=None)
    for h in ("target", "value", "result"):
        table.add_column(h)
    for r in rows:
        result = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: "n/a"}[r["passed"]]
        table.add_row(r["target"], r["shown"], result)
    console.print(table)


def print_real(console: Console, name: str, figures: dict[str, dict[str, Any]]) -> None:
    table = Table(title=f"Real data: {name} (no ground truth)", box=None)
    for h in ("method", "runs", "bal acc", "retr/run", "promo/run", "failed", "paused"):
        table.add_column(h, justify="left" if h == "method" else "right")
    for method, f in figures.items():
        table.add_row(
            method,
            str(f["runs"]),
            _f(f["balanced_accuracy"], ".3f"),
            _f(f["retrains_per_run"], ".1f"),
            _f(f["promotions_per_run"], ".1f"),
            str(f["failed_runs"]),
            str(f["paused_runs"]),
        )
    console.print(table)


def print_matrix(console: Console, streams: dict[str, dict[str, Figures]], order: list) -> None:
    """Post-change accuracy (batches retrained on per run) of every method on every stream."""
    table = Table(title="Post-change balanced accuracy (retrains per run), every method", box=None)
    table.add_column("stream")
    for method in order:
        table.add_column(method, justify="right")
    for stream, methods in streams.items():
        cells = [stream]
        for method in order:
            f = methods.get(method)
            cells.append("—" if f is None else f"{_f(f.post_accuracy, '.3f')} ({f.retrains:.1f})")
        table.add_row(*cells)
    console.print(table)
