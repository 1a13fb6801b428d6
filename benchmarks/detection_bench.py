"""Detection and recovery of CalmOps pipelines on streams with known changes (issue 13).

Generated streams with ground truth (SEA, Agrawal, Hyperplane, STAGGER, RBF, LED; abrupt,
gradual, incremental, recurring changes, covariate shift by injection, no drift) are cut
into batches and run, in-process, through:

- the default pipeline (the spec's defaults in the code being run),
- one pipeline per registered retrain strategy (``retrain.strategy`` set, nothing else),
- baselines: never retrain, retrain on every batch (on that batch), and the original
  CalmOps rule (retrain on the batch when KS, Mann-Whitney or PSI flags any column against
  the previous batch, no correction).

Reported per stream and overall: detection F1 (a retrain within 2 batches of a true change
detects it; other retrains are false), mean delay, false retrains per 20 stationary batches,
batches retrained on, and prequential balanced accuracy after the change (each batch scored
by the model in place before it is learned); then the targets of issue 13 with pass/fail,
and the same methods on a real data set bundled with river (Phishing).

    python benchmarks/detection_bench.py                 # the full suite (~10 min, 2 cores)
    python benchmarks/detection_bench.py --quick         # under a minute
    python benchmarks/detection_bench.py --streams sea-abrupt,sea-none --seeds 2 --json out.json

To measure another checkout: ``PYTHONPATH=/path/to/src python benchmarks/detection_bench.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # detection_kit, beside this file

from detection_kit import summary, tables  # noqa: E402
from detection_kit.baselines import BASELINES  # noqa: E402
from detection_kit.drive import MODELS, Method, pipeline_methods  # noqa: E402
from detection_kit.real import REAL  # noqa: E402
from detection_kit.streams import DEFAULT, QUICK, STREAMS  # noqa: E402
from detection_kit.work import Done, Task, execute, start_worker  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402

FULL = {"streams": ",".join(DEFAULT), "seeds": 5, "strategy_seeds": 1, "batches": 20}
FULL |= {"batch_size": 500, "real": "phishing", "real_seeds": 2}
QUICK_SETTINGS = {"streams": ",".join(QUICK), "seeds": 1, "strategy_seeds": 1, "batches": 10}
QUICK_SETTINGS |= {"batch_size": 300, "real": "phishing", "real_seeds": 1}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="2 streams, 1 seed, 10 small batches")
    p.add_argument(
        "--streams",
        help=f"comma list or 'all' ({', '.join(STREAMS)}); default: {', '.join(DEFAULT)}",
    )
    p.add_argument("--seeds", type=int, help="seeds 0..N-1 for the default and baselines (5)")
    p.add_argument("--strategy-seeds", type=int, help="first N seeds for each strategy (1)")
    p.add_argument("--batches", type=int, help="batches per stream (20)")
    p.add_argument("--batch-size", type=int, help="rows per batch (500)")
    p.add_argument("--methods", help="pipeline methods: 'default' and/or strategy names (all)")
    p.add_argument("--model", default="tree", help=f"{', '.join(MODELS)} or a dotted class")
    p.add_argument("--real", help=f"real data sets, comma list or 'none' ({', '.join(REAL)})")
    p.add_argument("--real-batch-size", type=int, default=125, help="rows per real batch")
    p.add_argument("--real-seeds", type=int, help="pipeline seeds on real data (2)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes")
    p.add_argument("--target-method", default="default", help="method the targets judge")
    p.add_argument("--json", type=Path, help="write every figure to this file")
    p.add_argument("--workdir", type=Path, help="where the temporary workspaces go")
    p.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    args = p.parse_args(argv)
    for key, value in (QUICK_SETTINGS if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.streams = list(STREAMS) if args.streams == "all" else _names(args.streams, STREAMS)
    args.real = [] if args.real == "none" else _names(args.real, REAL)
    return args


def _names(text: str, known) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown name {unknown[0]!r}; choose from {', '.join(known)}")
    return names


def plan(args: argparse.Namespace) -> tuple[list[Task], dict[str, str]]:
    """The tasks to run, and which methods duplicate another (not run twice)."""
    methods = pipeline_methods(args.model)
    if args.methods:
        wanted = _names(args.methods, [m.name for m in methods])
        methods = [
            m if m.same_as in wanted else Method(m.name, m.overrides)
            for m in methods
            if m.name in wanted
        ]
    same = {m.name: m.same_as for m in methods if m.same_as}
    runnable = [m for m in methods if not m.same_as]
    tasks = []
    for stream in args.streams:
        for seed in range(args.seeds):
            for m in runnable:
                if m.name == "default" or seed < args.strategy_seeds:
                    tasks.append(Task(stream, seed, m, args.batches, args.batch_size, args.model))
            tasks.append(Task(stream, seed, None, args.batches, args.batch_size, args.model))
    for name in args.real:
        for seed in range(args.real_seeds):
            for m in [*runnable, None]:
                tasks.append(Task(name, seed, m, 0, args.real_batch_size, args.model, real=True))
    tasks.sort(key=lambda t: (t.method is None, t.real))  # long pipeline runs first
    return tasks, same


def run_all(tasks: list[Task], jobs: int, root: Path, console: Console) -> list[Done]:
    done: list[Done] = []
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("runs", total=len(tasks))
        if jobs <= 1:
            start_worker(str(root))
            for task in tasks:
                done.append(execute(task))
                progress.advance(bar)
            return done
        with ProcessPoolExecutor(jobs, initializer=start_worker, initargs=(str(root),)) as pool:
            for future in as_completed([pool.submit(execute, t) for t in tasks]):
                done.append(future.result())
                progress.advance(bar)
    return done


def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import calmops

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "calmops": str(Path(calmops.__file__).resolve().parent),
    }


def report(args, done: list[Done], same: dict[str, str], console: Console) -> dict:
    runs = [
        summary.Run(d.task.stream, d.drift, d.task.seed, d.changes, t)
        for d in done
        if not d.task.real
        for t in d.traces
    ]
    names = {t.method for d in done for t in d.traces} - set(BASELINES) - {"default"}
    order = ["default", *sorted(names), *BASELINES]
    streams = summary.per_stream(runs)
    streams = {s: streams[s] for s in args.streams if s in streams}
    methods = summary.per_method(runs)
    methods = {m: methods[m] for m in order if m in methods}
    drifts = {r.stream: r.drift for r in runs}
    targets = {m: summary.targets(runs, m) for m in methods}
    if streams:
        tables.print_streams(console, streams, drifts)
        tables.print_matrix(console, streams, [m for m in methods if m not in same])
        tables.print_methods(console, methods, same)
        tables.print_targets(console, targets.get(args.target_method, []), args.target_method)
    real = {}
    for name in args.real:
        traces = [t for d in done if d.task.real and d.task.stream == name for t in d.traces]
        real[name] = summary.real_figures(sorted(traces, key=lambda t: order.index(t.method)))
        tables.print_real(console, name, real[name])
    return {
        "streams": {s: {m: f.to_dict() for m, f in ms.items()} for s, ms in streams.items()},
        "methods": {m: {k: f.to_dict() for k, f in p.items()} for m, p in methods.items()},
        "targets": targets,
        "same_as": same,
        "real": real,
        "runs": [
            {
                "stream": r.stream,
                "drift": r.drift,
                "seed": r.seed,
                "changes": [[c.onset, c.end] for c in r.changes],
                **r.trace.to_dict(),
            }
            for r in runs
        ],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 150)
    tasks, same = plan(args)
    started, info = time.perf_counter(), machine()
    shm = Path("/dev/shm")
    base = args.workdir or (shm if shm.is_dir() and os.access(shm, os.W_OK) else None)
    root = Path(tempfile.mkdtemp(prefix="calmops-detection-", dir=base))
    console.print(
        f"{len(tasks)} runs: {len(args.streams)} streams x {args.seeds} seeds "
        f"(strategies: {args.strategy_seeds}) x {args.batches} batches of {args.batch_size} "
        f"rows, model {args.model}; real: {', '.join(args.real) or 'none'}; {args.jobs} jobs; "
        f"calmops from {info['calmops']}"
    )
    try:
        done = run_all(tasks, args.jobs, root, console)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    figures = report(args, done, same, console)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    seconds = time.perf_counter() - started
    console.print(f"{seconds:.0f} s wall, load average {info['load_average_end']}")
    if args.json:
        settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        payload = {"settings": settings, "machine": info, "seconds": seconds, **figures}
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    failed = [t for t in figures["targets"].get(args.target_method, []) if t["passed"] is False]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
