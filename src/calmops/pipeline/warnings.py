"""Library warnings raised during a run become notes of that run, not noise on stderr.

A scikit-learn ``ConvergenceWarning`` in the middle of ``calmops run`` output helps nobody;
in the run report, beside the decision it may explain, it does. Capture is per thread, so
monitors running several pipelines in one process keep their warnings apart.

>>> import warnings
>>> with collect_warnings() as caught:
...     warnings.warn("the model did not converge", RuntimeWarning)
>>> caught
['RuntimeWarning: the model did not converge']
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collect_warnings"]

_HINTS = {
    "ConvergenceWarning": " (raise model.params.max_iter, e.g. `--set model.params.max_iter=1000`)"
}
_local = threading.local()
_install_lock = threading.Lock()
_original_show = None


def _show(message, category, filename, lineno, file=None, line=None) -> None:
    sink = getattr(_local, "sink", None)
    if sink is None:
        _original_show(message, category, filename, lineno, file, line)
        return
    first = str(message).strip().splitlines()[0].rstrip(":") if str(message).strip() else ""
    text = f"{category.__name__}: {first}{_HINTS.get(category.__name__, '')}"
    if text not in sink:
        sink.append(text)


def _install() -> None:
    """Put the per-thread router in front of whatever shows warnings now (again if someone,
    such as a test runner's ``catch_warnings``, has put the previous one back)."""
    global _original_show
    with _install_lock:
        if warnings.showwarning is not _show:
            _original_show = warnings.showwarning
            warnings.showwarning = _show


@contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """Collect, in this thread, the warnings raised inside the block (each text once)."""
    _install()
    previous = getattr(_local, "sink", None)
    _local.sink = caught = []
    try:
        yield caught
    finally:
        _local.sink = previous
