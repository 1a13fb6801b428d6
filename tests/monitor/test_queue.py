"""The wake queue: FIFO, duplicates coalesced, and a waiting worker can be interrupted."""

from __future__ import annotations

import threading
from pathlib import Path

from calmops.monitor.queue import WakeQueue


def test_files_in_order_without_duplicates_and_scans_coalesced() -> None:
    queue = WakeQueue()
    for name in ["a", "b", "a", "c"]:
        queue.put_file(Path(name))
    for _ in range(5):  # ticks missed while a batch ran
        queue.put_scan()
    taken = [queue.get(timeout=0) for _ in range(len(queue))]
    assert [(w.kind, w.path and w.path.name) for w in taken] == [
        ("file", "a"),
        ("file", "b"),
        ("file", "c"),
        ("scan", None),
    ]
    queue.put_file(Path("a"))  # taken off, so it may come again
    assert queue.get(timeout=0).path == Path("a")


def test_a_waiting_get_is_woken_by_work_or_interrupt() -> None:
    queue = WakeQueue()
    got = []
    worker = threading.Thread(target=lambda: got.append(queue.get(timeout=60)))
    worker.start()
    queue.put_scan(follow_young=True)
    worker.join(60)
    assert got[0].kind == "scan" and got[0].follow_young
    worker = threading.Thread(target=lambda: got.append(queue.get(timeout=60)))
    worker.start()
    while not worker.is_alive():
        pass
    queue.interrupt()
    worker.join(60)
    assert not worker.is_alive()
