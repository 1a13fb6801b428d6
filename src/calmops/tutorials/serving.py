"""Tutorial: serving, feedback, and monitoring the traffic that was served.

A pipeline trained on one SEA batch is served by ``calmops serve`` on loopback. An application
sends 400 rows to ``POST /predict/<pipeline>``, and later their true labels to
``POST /feedback/<pipeline>`` (by the request id the server answered with). The server is
stopped (it writes its prediction log on shutdown) and ``calmops run NAME --served`` monitors
the served rows as one batch: drift against the reference, and realized metrics from the
feedback.

Run it with ``python serving.py [FOLDER]``, or ``calmops tutorial copy serving DIR``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd

from calmops.tutorials.shell import Shell, check

TITLE = "Serving, feedback and monitoring served traffic"


def make_data(folder: Path) -> None:
    """Write ``incoming/batch_0001.csv`` (training) and ``traffic.csv`` (to be served)."""
    shell = Shell(folder)
    shell.calmops("generate", "stream", "--generator", "sea", "--n", "3000", "--batches", "2",
                  "--seed", "5", "--out", "generated")  # fmt: skip
    (folder / "incoming").mkdir(exist_ok=True)
    (folder / "generated" / "batch_0001.csv").rename(folder / "incoming" / "batch_0001.csv")
    traffic = pd.read_csv(folder / "generated" / "batch_0002.csv").head(400)
    traffic.to_csv(folder / "traffic.csv", index=False)


def post(url: str, body: object) -> dict:
    """POST ``body`` as JSON to ``url`` and return the JSON answer (what an application does)."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(shell: Shell, port: int) -> subprocess.Popen:
    """Start ``calmops serve`` and wait until it answers ``/ready``."""
    print(f"\n$ calmops serve --port {port} &")
    server = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(shell.home), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as ready:
                if ready.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("calmops serve did not become ready in 120 s")


def main(folder: Path) -> None:
    if not (folder / "incoming").is_dir():
        make_data(folder)
    shell = Shell(folder)
    shell.calmops("create", "sea", "--data-dir", "incoming", "--target", "target",
                  "--model", "sklearn.tree.DecisionTreeClassifier",
                  "--param", "max_depth=6", "--param", "random_state=0")  # fmt: skip
    shell.calmops("run", "sea", "--once")

    traffic = pd.read_csv(folder / "traffic.csv")
    rows = traffic.drop(columns="target").to_dict(orient="records")
    port = free_port()
    server = serve(shell, port)
    try:
        answer = post(f"http://127.0.0.1:{port}/predict/sea", rows)
        first = answer["predictions"][:5]
        print(f"POST /predict/sea ({len(rows)} rows) -> model v{answer['model_version']}, "
              f"request_id {answer['request_id']}, predictions {first}...")  # fmt: skip
        check(len(answer["predictions"]) == len(rows), "one prediction per row")
        labels = [{"request_id": answer["request_id"], "row": i, "label": int(y)}
                  for i, y in enumerate(traffic["target"])]  # fmt: skip
        receipt = post(f"http://127.0.0.1:{port}/feedback/sea", labels)
        print(f"POST /feedback/sea ({len(labels)} labels) -> {receipt}")
        check(receipt["accepted"] == len(labels), "every label accepted")
    finally:
        server.send_signal(signal.SIGTERM)  # the server writes its prediction log on shutdown
        server.wait(timeout=60)

    shell.calmops("run", "sea", "--served")
    shell.calmops("runs", "sea")
    served = next(r for r in shell.json("runs", "sea") if "served" in (r["file"] or ""))
    check(served["status"] == "succeeded", "the served traffic ran as a batch")
    check(served["metrics"], "the feedback gave the served batch realized metrics")
    shell.calmops("report", "sea", served["run_id"])
    print("\ntutorial ok: served rows were monitored, with the labels sent as feedback")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
