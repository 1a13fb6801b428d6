"""Prometheus metrics of the prediction server, in the text exposition format.

Per pipeline: requests by route and status code, errors, rows scored, a latency histogram,
the version serving (champion and shadow), and whether the pipeline needs attention (its
champion no better than chance on recent data, or a drop no challenger could fix). Names a
client made up are counted under the pipeline label ``unknown``, so a scan of random names
cannot grow the series without bound.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["BUCKETS", "Metrics"]

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Counters and histograms kept in memory, rendered for ``GET /metrics``.

    Examples
    --------
    >>> metrics = Metrics()
    >>> metrics.observe("demo", "predict", 200, 0.003, rows=2)
    >>> text = metrics.render({"demo": 3})
    >>> 'calmops_requests_total{pipeline="demo",route="predict",code="200"} 1' in text
    True
    >>> 'seconds_bucket{pipeline="demo",route="predict",le="0.005"} 1' in text
    True
    >>> 'calmops_model_version{pipeline="demo",alias="champion"} 3' in text
    True
    >>> 'calmops_attention{pipeline="demo"} 1' in metrics.render({}, attention={"demo": True})
    True
    """

    def __init__(self) -> None:
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._rows: dict[str, int] = defaultdict(int)
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sums: dict[tuple[str, str], float] = defaultdict(float)
        self._lock = threading.Lock()

    def observe(
        self, pipeline: str, route: str, status: int, seconds: float, rows: int = 0
    ) -> None:
        """Count one request and its latency."""
        with self._lock:
            self._requests[(pipeline, route, status)] += 1
            if rows:
                self._rows[pipeline] += rows
            key = (pipeline, route)
            counts = self._buckets.get(key)
            if counts is None:
                counts = self._buckets[key] = [0] * (len(BUCKETS) + 1)
            counts[bisect.bisect_left(BUCKETS, seconds)] += 1
            self._sums[key] += seconds

    def render(
        self,
        versions: dict[str, int | None],
        shadows: dict[str, int] | None = None,
        attention: dict[str, bool] | None = None,
    ) -> str:
        """The exposition text; ``versions`` maps pipeline to its champion version,
        ``attention`` pipeline to whether it needs attention."""
        with self._lock:
            requests = dict(self._requests)
            rows = dict(self._rows)
            buckets = {k: list(v) for k, v in self._buckets.items()}
            sums = dict(self._sums)
        lines: list[str] = []
        _family(lines, "calmops_requests_total", "counter", "Requests by pipeline, route, code.")
        for (pipeline, route, code), count in sorted(requests.items()):
            lines.append(
                f'calmops_requests_total{{pipeline="{pipeline}",route="{route}",code="{code}"}} '
                f"{count}"
            )
        _family(lines, "calmops_errors_total", "counter", "Requests answered with an error.")
        errors: dict[tuple[str, str], int] = defaultdict(int)
        for (pipeline, route, code), count in requests.items():
            errors[(pipeline, route)] += count if code >= 400 else 0
        for (pipeline, route), count in sorted(errors.items()):
            lines.append(f'calmops_errors_total{{pipeline="{pipeline}",route="{route}"}} {count}')
        _family(lines, "calmops_rows_total", "counter", "Rows scored.")
        for pipeline, count in sorted(rows.items()):
            lines.append(f'calmops_rows_total{{pipeline="{pipeline}"}} {count}')
        _family(
            lines, "calmops_request_duration_seconds", "histogram", "Time to answer, in seconds."
        )
        for (pipeline, route), counts in sorted(buckets.items()):
            labels = f'pipeline="{pipeline}",route="{route}"'
            lines += _histogram(labels, counts, sums[(pipeline, route)])
        _family(lines, "calmops_model_version", "gauge", "Model version serving, per alias.")
        for pipeline, version in sorted(versions.items()):
            if version is not None:
                lines.append(
                    f'calmops_model_version{{pipeline="{pipeline}",alias="champion"}} {version}'
                )
        for pipeline, version in sorted((shadows or {}).items()):
            lines.append(f'calmops_model_version{{pipeline="{pipeline}",alias="shadow"}} {version}')
        _family(
            lines,
            "calmops_attention",
            "gauge",
            "1 when the pipeline needs attention (e.g. its champion is no better than chance "
            "on recent data), else 0.",
        )
        for pipeline, needed in sorted((attention or {}).items()):
            lines.append(f'calmops_attention{{pipeline="{pipeline}"}} {int(bool(needed))}')
        return "\n".join(lines) + "\n"


def _family(lines: list[str], name: str, kind: str, text: str) -> None:
    lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]


def _histogram(labels: str, counts: Iterable[int], total: float) -> list[str]:
    out, running = [], 0
    counts = list(counts)
    name = "calmops_request_duration_seconds"
    for bound, count in zip(BUCKETS, counts, strict=False):
        running += count
        out.append(f'{name}_bucket{{{labels},le="{bound}"}} {running}')
    running += counts[-1]
    out.append(f'{name}_bucket{{{labels},le="+Inf"}} {running}')
    out.append(f"{name}_sum{{{labels}}} {total:.6f}")
    out.append(f"{name}_count{{{labels}}} {running}")
    return out
