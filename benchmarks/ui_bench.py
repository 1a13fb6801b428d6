"""Dashboard server time on a workspace of 50 pipelines x 1,000 runs (issue 9).

Targets: the overview (``GET /api/overview``) at most 300 ms of server time; a pipeline's
JSON (its header and each tab) at most 200 ms.

The workspace is seeded from one real pipeline: its reports, summaries, model versions,
reference profiles and retained batch are real (six SEA batches with a concept change and a
covariate shift); the 50 pipelines then get 1,000 runs each, inserted into the store in bulk
with the real reports (metric values varied), so the store holds what 50,000 runs would
leave. Times are measured in-process around the ASGI app (routing, validation, the view,
JSON encoding), first request (cold caches) and the median and 95th percentile of repeated
requests.

``python benchmarks/ui_bench.py --pages`` instead times the pages in Chromium on the same
workspace (time to content and to charts, issue 18): see ``ui_page_bench.py``.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PIPELINES, RUNS = 50, 1_000
REPEAT = 15
TABS = ["runs", "data", "drift", "performance", "models", "training", "logs"]


def seed(root: Path):
    """One real pipeline, run on six batches: the template of every other."""
    from calmops.data_generators import generate_stream
    from calmops.data_generators.streams.schedule import abrupt
    from calmops.pipeline.runner import Runner
    from calmops.settings import Settings
    from calmops.spec import PipelineSpec
    from calmops.workspace import Workspace

    incoming = root / "incoming"
    incoming.mkdir(parents=True)
    frame = generate_stream("sea", 6_000, seed=1, schedule=abrupt(3_000, to={"variant": 3})).data
    for i in range(6):
        batch = frame.iloc[i * 1000 : (i + 1) * 1000].copy()
        if i == 5:
            batch["x0"] += 4.0
        path = incoming / f"batch_{i}.csv"
        batch.to_csv(path, index=False)
        os.utime(path, (1000 + i, 1000 + i))
    ws = Workspace(Settings(home=root / "home"))
    spec = {
        "name": "seed",
        "data": {"dir": str(incoming), "target": "target"},
        "model": {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 6}},
        "retrain": {"strategy": "window", "window_batches": 1},
    }
    ws.create(PipelineSpec.from_dict(spec))
    with Runner(ws, "seed") as runner:
        runner.run_pending()
    return ws, spec


def populate(ws, spec: dict) -> None:
    """50 pipelines x 1,000 runs, from the seed's real runs, files and model versions."""
    import sqlalchemy as sa

    from calmops.spec import PipelineSpec
    from calmops.store.sql import tables as t

    runs = [ws.store.runs.get("seed", r.id) for r in reversed(ws.store.runs.list("seed"))]
    tested = [r for r in runs if r.report and r.report.get("drift")]
    versions = ws.store.models.versions("seed")
    seed_paths = ws.paths("seed")
    engine = ws.store.engine
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for p in range(PIPELINES):
        name = f"p{p:02d}"
        ws.create(PipelineSpec.from_dict(spec | {"name": name}))
        paths = ws.paths(name)
        for folder in ("models", "reference"):
            shutil.rmtree(getattr(paths, folder))
            shutil.copytree(getattr(seed_paths, folder), getattr(paths, folder))
        shutil.copyfile(seed_paths.logs / "pipeline.log", paths.logs / "pipeline.log")
        for version in versions:
            ws.store.models.add(type(version)(**{**version.__dict__, "pipeline": name}))
        ws.store.models.set_aliases(
            name, {"champion": versions[-1].version, "previous": versions[-2].version},
            reason="seeded",
        )  # fmt: skip
        with engine.begin() as connection:
            owner = connection.execute(
                sa.select(t.pipelines.c.id).where(t.pipelines.c.name == name)
            ).scalar_one()
            rows = []
            for i in range(RUNS):
                template = runs[0] if i == 0 else tested[i % len(tested)]
                run_id = f"{name}-{i:05d}"
                summary = dict(template.summary)
                metrics = dict(summary.get("metrics") or {})
                if "balanced_accuracy" in metrics:
                    metrics["balanced_accuracy"] = 0.8 + 0.1 * ((i * 7919) % 100) / 100
                summary["metrics"] = metrics
                started = start + timedelta(minutes=10 * i)
                rows.append(
                    {"id": run_id, "pipeline_id": owner, "status": template.status,
                     "decision": template.decision, "source": template.source,
                     "error": None, "model_version": template.model_version, "summary": summary,
                     "report": {**template.report, "run_id": run_id},
                     "started_at": started, "finished_at": started + timedelta(seconds=2)}
                )  # fmt: skip
            connection.execute(t.runs.insert(), rows)
        latest = f"{name}-{RUNS - 1:05d}"
        retained = sorted(seed_paths.data.glob("*.parquet"))[-1]
        shutil.copyfile(retained, paths.data / f"{latest}.parquet")


def timed(client, url: str) -> tuple[float, list[float]]:
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    warm = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - started)
    return cold, warm


def main() -> None:
    from fastapi.testclient import TestClient

    from calmops.web.app import create_ui_app

    root = Path(tempfile.mkdtemp(prefix="calmops-ui-bench-"))
    started = time.perf_counter()
    ws, spec = seed(root)
    populate(ws, spec)
    print(f"seeded {PIPELINES} pipelines x {RUNS} runs in {time.perf_counter() - started:.1f} s")
    size = (ws.home / "calmops.db").stat().st_size / 2**20
    rows = []
    with TestClient(create_ui_app(ws.settings)) as client:
        rows.append(("overview", "/api/overview", *timed(client, "/api/overview")))
        rows.append(("pipeline header", "/api/pipelines/p25", *timed(client, "/api/pipelines/p25")))
        for tab in TABS:
            url = f"/api/pipelines/p25/{tab}"
            rows.append((f"{tab} tab", url, *timed(client, url)))
        url = "/api/pipelines/p25/runs?limit=1000"
        rows.append(("runs tab, all 1,000 runs", url, *timed(client, url)))
        rows.append(("overview page (HTML)", "/", *timed(client, "/")))
        rows.append(("pipeline page (HTML)", "/pipelines/p25", *timed(client, "/pipelines/p25")))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"load average {load}; store {size:.0f} MiB (SQLite)\n"
    )
    print("| request | first (cold) ms | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, url, cold, warm in rows:
        p95 = sorted(warm)[int(0.95 * (len(warm) - 1))]
        print(f"| {label} `{url}` | {cold * 1000:.0f} | {statistics.median(warm) * 1000:.0f} "
              f"| {p95 * 1000:.0f} |")  # fmt: skip
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if "--pages" in sys.argv:
        from ui_page_bench import main as pages

        pages()
    else:
        main()
