"""Soak: one pipeline over thousands of small batches, retraining every 50; what grows?

Pipeline ``soak`` (SEA, a decision tree, ``window`` retraining, the default
``promotion.keep_versions``) is fed ``--batches`` files of ``--size`` rows; the SEA concept
switches every ``--every`` batches (variant 0 and 3 in turn), so the champion degrades and a
challenger is trained and promoted about once per switch. The batches run in one long-lived
:class:`~calmops.pipeline.runner.Runner` (what the monitor holds), ``--sample`` batches at a
time; after each group this process's resident memory and the size of the store
(``calmops.db`` and its WAL), the logs, the models folder (pruned), the run reports, the
retained data and the whole workspace are recorded.

What must stay bounded: RSS, logs (rotation), models (pruning), retained data
(``retrain.max_retained_rows``), and, with run retention (``--keep-runs``, the spec's
``retention.keep_runs``), the store and ``metrics/runs/``: they grow by one run per batch
until the newest ``keep_runs`` runs are kept, then stay flat (SQLite reuses the pages of
pruned runs; ``free KB`` is the store's free-page list).

Run: ``.venv/bin/python benchmarks/soak_bench.py [--batches 2000] [--keep-runs 200]
[--write]``; ``--write`` replaces the ``## Soak (issue 19)`` section of
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTION = "## Soak (issue 19)"
SPEC = {
    "model": {
        "class": "sklearn.tree.DecisionTreeClassifier",
        "params": {"max_depth": 5, "random_state": 0},
    },
    "retrain": {"strategy": "window", "window_batches": 3},
}
COLUMNS = (
    "batches",
    "RSS MB",
    "store KB",
    "free KB",
    "runs",
    "logs KB",
    "models KB",
    "versions",
    "reports KB",
    "retained KB",
    "workspace KB",
    "retrains",
    "s/batch",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--size", type=int, default=200, help="rows per batch")
    parser.add_argument("--every", type=int, default=50, help="batches between concept switches")
    parser.add_argument("--sample", type=int, default=100, help="batches between samples")
    parser.add_argument(
        "--keep-runs",
        type=lambda text: None if text == "none" else int(text),
        default=10_000,
        help="retention.keep_runs ('none': keep every run)",
    )
    parser.add_argument("--home", type=Path, help="workspace folder (default: a temporary one)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.home or Path(scratch)
        rows = soak(root, args)
    text = _report(rows, args)
    print(text)
    if args.write:
        _write_section(text)


def soak(root: Path, args: argparse.Namespace) -> list[dict]:
    """Run the soak under ``root``; one row of figures per ``--sample`` batches."""
    from calmops.pipeline.runner import Runner
    from calmops.settings import Settings
    from calmops.spec import PipelineSpec
    from calmops.workspace import Workspace

    incoming = root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    ws = Workspace(Settings(home=root / "home"))
    spec = {"name": "soak", "data": {"dir": str(incoming), "target": "target"}, **SPEC}
    spec["retention"] = {"keep_runs": args.keep_runs}
    ws.create(PipelineSpec.from_dict(spec))
    paths = ws.paths("soak")
    rows, retrains, done = [], 0, 0
    print(" | ".join(COLUMNS), flush=True)
    with Runner(ws, "soak") as runner:
        rows.append(_sample(ws, paths, 0, 0, float("nan")))
        while done < args.batches:
            count = min(args.sample, args.batches - done)
            for index in range(done, done + count):
                _batch(index, args).to_csv(incoming / f"b{index:05d}.csv", index=False)
            began = time.perf_counter()
            results = runner.run_pending()
            seconds = (time.perf_counter() - began) / count
            failed = [r for r in results if r.status != "succeeded"]
            if failed:
                raise SystemExit(f"a run failed: {failed[0]}")
            retrains += sum(r.decision in ("retrain", "train") for r in results)
            done += count
            gc.collect()
            rows.append(_sample(ws, paths, done, retrains, seconds))
            print(" | ".join(str(v) for v in rows[-1].values()), flush=True)
    return rows


def _batch(index: int, args: argparse.Namespace):
    from calmops.data_generators import generate_stream

    variant = 0 if (index // args.every) % 2 == 0 else 3
    params = {"noise": 0.05, "variant": variant}
    return generate_stream("sea", args.size, seed=index, params=params).data


def _sample(ws, paths, batches: int, retrains: int, seconds: float) -> dict:
    home = ws.home
    store = sum(_size(p) for p in home.glob("calmops.db*"))
    return {
        "batches": batches,
        "RSS MB": round(_rss_mb(), 1),
        "store KB": store // 1024,
        "free KB": _free_kb(home / "calmops.db"),
        "runs": len(ws.store.runs.list("soak", limit=10_000_000)),
        "logs KB": _size(paths.logs) // 1024,
        "models KB": _size(paths.models) // 1024,
        "versions": sum(1 for p in paths.models.glob("v*") if p.is_dir()),
        "reports KB": _size(paths.runs) // 1024,
        "retained KB": _size(paths.data) // 1024,
        "workspace KB": _size(home) // 1024,
        "retrains": retrains,
        "s/batch": "–" if seconds != seconds else f"{seconds:.2f}",
    }


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _free_kb(database: Path) -> int:
    """The SQLite file's free pages (pages of deleted rows, reused by new ones), in KB."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        pages = connection.execute("PRAGMA freelist_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    return pages * size // 1024


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _report(rows: list[dict], args: argparse.Namespace) -> str:
    first, last = rows[1] if len(rows) > 1 else rows[0], rows[-1]
    span = max(1, last["batches"] - first["batches"])
    keep = args.keep_runs
    lines = [
        SECTION,
        "",
        f"`benchmarks/soak_bench.py --batches {args.batches} --size {args.size} --every "
        f"{args.every} --sample {args.sample} --keep-runs {keep or 'none'}`: one stream "
        f"pipeline (SEA, decision tree, window retraining, default `keep_versions` 10, "
        f"`retention.keep_runs` {keep}), {args.size}-row batches, the concept switching every "
        f"{args.every} batches, all run by one long-lived Runner (as in a monitor); sampled "
        f"every {args.sample} batches. Sizes in KB (store: calmops.db with its WAL; free: "
        "its free-page list; runs: runs in the store).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(str(v) for v in row.values()) + " |" for row in rows]
    lines += [
        "",
        f"From batch {first['batches']} to {last['batches']}: RSS "
        f"{first['RSS MB']} → {last['RSS MB']} MB, store "
        f"{(last['store KB'] - first['store KB']) / span:.1f} KB per batch, reports "
        f"{(last['reports KB'] - first['reports KB']) / span:.1f} KB per batch, models "
        f"{first['models KB']} → {last['models KB']} KB ({last['versions']} versions kept), "
        f"logs {first['logs KB']} → {last['logs KB']} KB.",
    ]
    after = [r for r in rows if keep is not None and r["batches"] >= keep + args.sample]
    if len(after) > 1:
        width = after[-1]["batches"] - after[0]["batches"]
        lines.append(
            f"Past the retention window (batch {after[0]['batches']} to "
            f"{after[-1]['batches']}): store "
            f"{(after[-1]['store KB'] - after[0]['store KB']) / width:.1f} KB per batch, reports "
            f"{(after[-1]['reports KB'] - after[0]['reports KB']) / width:.1f} KB per batch, "
            f"{after[-1]['runs']} runs in the store."
        )
    lines += [f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f} (2 shared cores).", ""]
    return "\n".join(lines)


def _write_section(text: str) -> None:
    path = HERE / "RESULTS.md"
    current = path.read_text()
    start = current.find(SECTION)
    if start == -1:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = current.find("\n## ", start + len(SECTION))
        updated = current[:start] + text + ("" if end == -1 else current[end:])
    path.write_text(updated)


if __name__ == "__main__":
    main()
