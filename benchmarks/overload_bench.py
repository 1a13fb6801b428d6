"""Overload on the prediction server: 256 clients against a slow model, bounded vs unbounded.

A pipeline whose preprocess hook sleeps ``--slow`` seconds per request (about 2 / slow
requests a second with the server's scoring threads on this machine) is served by
``calmops serve`` (one worker) and asked by ``--clients`` concurrent clients for ``--seconds``
each, once per ``--limits`` value of ``--max-pending-requests`` (the default, 128, and one so
large it never refuses, i.e. the server before the bound). Clients honour ``Retry-After``
(they wait that long after a 503, as the contract asks).

Reported per limit: answers by status, share of 503, latency p50/p99 of the 200s and of the
503s, transport errors (none expected), and the server's resident memory (RSS, from
``/proc``) sampled every ``--sample`` seconds: it must stay flat.

Run: ``.venv/bin/python benchmarks/overload_bench.py [--seconds 180] [--write]``; ``--write``
replaces the ``## Overload (issue 19)`` section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SECTION = "## Overload (issue 19)"
ROW = {"x0": 5.0, "x1": 4.0, "x2": 3.0}
HOOK = """\
import os, time
SLOW = float(os.environ.get("OVERLOAD_BENCH_SLOW", "0"))
def preprocess(df):
    if len(df) < 10:  # serving: slow; training on hundreds of rows: fast
        time.sleep(SLOW)
    return df
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=256)
    parser.add_argument("--seconds", type=float, default=180.0, help="per limit")
    parser.add_argument("--slow", type=float, default=0.1, help="seconds of hook per request")
    parser.add_argument("--limits", type=int, nargs="+", default=[32, 128, 1_000_000])
    parser.add_argument("--sample", type=float, default=30.0, help="RSS every N seconds")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        home = _workspace(Path(root))
        results = {}
        for limit in args.limits:
            with _server(home, limit, args.slow) as (url, pid):
                results[limit] = asyncio.run(
                    _storm(url, pid, args.clients, args.seconds, args.sample)
                )
                print(_row(limit, results[limit]), flush=True)
    text = _report(results, args)
    print(text)
    if args.write:
        _write_section(text)


def _workspace(root: Path) -> Path:
    """Pipeline ``slow`` (SEA, logistic regression, the sleeping hook), trained once."""
    from calmops.data_generators import generate_stream
    from calmops.pipeline.runner import Runner
    from calmops.settings import Settings
    from calmops.spec import PipelineSpec
    from calmops.workspace import Workspace

    incoming = root / "incoming"
    incoming.mkdir()
    generate_stream("sea", 500, seed=1).data.to_csv(incoming / "b0.csv", index=False)
    (root / "hooks.py").write_text(HOOK)
    ws = Workspace(Settings(home=root / "home"))
    spec = {
        "name": "slow",
        "data": {"dir": str(incoming), "target": "target"},
        "model": {"class": "sklearn.linear_model.LogisticRegression"},
        "hooks": str(root / "hooks.py"),
    }
    ws.create(PipelineSpec.from_dict(spec))
    with Runner(ws, "slow") as runner:
        [result] = runner.run_pending()
    assert result.status == "succeeded", result
    return ws.home


@contextlib.contextmanager
def _server(home: Path, limit: int, slow: float) -> Iterator[tuple[str, int]]:
    port = _free_port()
    command = [str(Path(sys.executable).parent / "calmops"), "--home", str(home), "serve"]
    command += ["--port", str(port), "--max-pending-requests", str(limit)]
    env = {**os.environ, "OVERLOAD_BENCH_SLOW": str(slow), "NO_PROXY": "127.0.0.1"}
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url + "/ready", process)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _storm(url: str, pid: int, clients: int, seconds: float, every: float) -> dict:
    """``clients`` closed-loop clients for ``seconds``; latencies by status, RSS samples.

    The clients speak HTTP/1.1 over raw asyncio streams (keep-alive, one connection each):
    an httpx client with 256 connections needed more CPU than the server and its own queueing
    swamped the figures.
    """
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps(ROW).encode()
    request = (
        f"POST /predict/slow HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies: dict[int, list[float]] = {}
    errors: Counter[str] = Counter()
    rss: list[tuple[float, float]] = [(0.0, _rss_mb(pid))]
    start = time.monotonic()
    deadline = start + seconds

    async def one_client() -> None:
        reader = writer = None
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, int(port))
                writer.write(request)
                status, headers = await _answer(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] += 1
                writer = None
                continue
            latencies.setdefault(status, []).append(time.perf_counter() - began)
            if headers.get("connection") == "close":
                writer.close()
                writer = None
            if status == 503:
                await asyncio.sleep(float(headers.get("retry-after", "1")))
        if writer is not None:
            writer.close()

    async def sampler() -> None:
        while time.monotonic() < deadline:
            await asyncio.sleep(min(every, max(0.0, deadline - time.monotonic())))
            rss.append((time.monotonic() - start, _rss_mb(pid)))

    await asyncio.gather(sampler(), *(one_client() for _ in range(clients)))
    rss.append((time.monotonic() - start, _rss_mb(pid)))
    return {"latencies": latencies, "errors": errors, "rss": rss, "seconds": seconds}


async def _answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """Read one HTTP/1.1 response (with a Content-Length); its status and headers."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentiles(values: list[float]) -> str:
    if not values:
        return "–"
    p50, p99 = np.percentile(np.asarray(values) * 1000, [50, 99])
    return f"{p50:,.0f} / {p99:,.0f}"


def _row(limit: int, result: dict) -> str:
    by_status = {code: len(v) for code, v in sorted(result["latencies"].items())}
    total = sum(by_status.values())
    refused = by_status.get(503, 0)
    others = {str(c): n for c, n in by_status.items() if c not in (200, 503)}
    failures = {**others, **result["errors"]}
    shown_failures = ", ".join(f"{n} {name}" for name, n in failures.items()) or "0"
    rss = [mb for _, mb in result["rss"]]
    shown_limit = f"{limit:,}" if limit < 1_000_000 else "unbounded"
    return (
        f"| {shown_limit} | {total:,} | {by_status.get(200, 0) / result['seconds']:,.0f} | "
        f"{refused / total if total else 0:.0%} | {_percentiles(result['latencies'].get(200, []))} "
        f"| {_percentiles(result['latencies'].get(503, []))} | "
        f"{shown_failures} | "
        f"{' → '.join(f'{mb:.0f}' for mb in rss)} |"
    )


def _report(results: dict, args: argparse.Namespace) -> str:
    lines = [
        SECTION,
        "",
        f"`benchmarks/overload_bench.py --clients {args.clients} --seconds {args.seconds:g} "
        f"--slow {args.slow:g}`: {args.clients} closed-loop clients (they honour Retry-After) "
        f"against one `calmops serve` worker whose preprocess hook sleeps {args.slow * 1000:g} ms "
        f"per request, {args.seconds:g} s per setting of `--max-pending-requests`. Latency in "
        f"ms; RSS of the server in MB, sampled every {args.sample:g} s.",
        "",
        "| max pending | answers | 200/s | 503 share | 200 p50 / p99 | 503 p50 / p99 "
        "| errors, other codes | server RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(limit, result) for limit, result in results.items()]
    lines += [
        "",
        "With the bound, an admitted request waits for at most `max pending` requests ahead of "
        "it (latency about limit / throughput) and the rest are told at once to come back; "
        "without it every client's request queues, so latency is clients / throughput and grows "
        "with the number of clients (and without end under an open-loop arrival rate above the "
        "throughput). Memory stays flat: the server holds at most `max pending` requests (here "
        "the closed-loop clients also cap the unbounded case at their number; an open-loop "
        "flood would not be capped).",
        f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f} (2 shared cores).",
        "",
    ]
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


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
