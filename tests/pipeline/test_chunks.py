"""``data.chunk``: pending files cut into time or row chunks, each one run, exactly once."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.pipeline.chunks import ORIGIN, Part, Settled, cut_by_time, file_of
from calmops.pipeline.files import file_key
from calmops.pipeline.runner import Runner

MODEL = {"class": "sklearn.tree.DecisionTreeClassifier", "params": {"max_depth": 3}}


def _hourly(start: str, hours: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=hours)
    return pd.DataFrame(
        {
            "ts": pd.date_range(start, periods=hours, freq="h"),
            "x": x,
            "z": rng.normal(size=hours),
            "target": (x + rng.normal(scale=0.5, size=hours) > 0).astype(int),
        }
    )


def _expected_bins(frame: pd.DataFrame, every: str) -> list[tuple[str, str, int]]:
    """The non-empty bins of ``every``, by pandas' own grouping from the documented origin."""
    groups = frame.groupby(pd.Grouper(key="ts", freq=every, origin=ORIGIN))
    step = pd.Timedelta(every)
    return [
        (start.isoformat(), (start + step).isoformat(), len(rows))
        for start, rows in groups
        if len(rows)
    ]


def _by_time(lab, every: str) -> None:
    lab.create(model=MODEL, data={"time_column": "ts", "chunk": {"by": "time", "every": every}})


def _reports(lab) -> list[dict]:
    runs = lab.ws.store.runs.list("demo", limit=10_000)
    return [lab.ws.store.runs.get("demo", r.id).report for r in reversed(runs)]


def _periods(reports) -> list[tuple[str, str, int]]:
    return [(r["period"]["start"], r["period"]["end"], r["rows"]) for r in reports]


def test_one_year_hourly_cuts_into_the_weeks_pandas_finds(tmp_path) -> None:
    year = _hourly("2026-01-01", 24 * 365)
    path = tmp_path / "year.csv"
    year.to_csv(path, index=False)
    part = Part(path, file_key(path), year, year["ts"])
    chunks = cut_by_time([part], pd.Timedelta("7D"), Settled())
    expected = _expected_bins(year, "7D")
    assert [(c.period.start, c.period.end, len(c.frame)) for c in chunks] == expected
    assert all(c.frame["ts"].between(c.period.start, c.period.end).all() for c in chunks)
    assert chunks[-1].claims[-1] == part.key  # the last chunk completes the file
    assert [c.section.partial for c in chunks] == [False] * 52 + [True]


@pytest.mark.slow  # 53 runs
def test_one_year_hourly_by_week_gives_one_run_per_week_with_its_period(lab) -> None:
    year = _hourly("2026-01-01", 24 * 365)
    _by_time(lab, "7D")
    lab.write(year, name="year.csv")
    results = lab.run()
    expected = _expected_bins(year, "7D")
    assert len(expected) == 53  # 2026-01-01 is a Thursday: the first week is partial
    assert [r.status for r in results] == ["succeeded"] * 53
    reports = _reports(lab)
    assert _periods(reports) == expected
    assert pd.Timestamp(reports[1]["period"]["start"]).day_name() == "Monday"
    assert [r["chunk"]["partial"] for r in reports] == [False] * 52 + [True]
    assert not any(r["chunk"]["late"] for r in reports)
    assert lab.run() == [], "a second pass ran something again"
    with Runner(lab.ws, "demo") as runner:
        assert runner.pending() == []


def test_empty_periods_make_no_run_and_hours_bin_on_the_hour(lab) -> None:
    gappy = pd.concat([_hourly("2026-02-02 00:30", 3), _hourly("2026-02-02 09:10", 2, seed=1)])
    _by_time(lab, "2h")
    lab.write(gappy.sample(frac=1, random_state=0), name="shuffled.csv")
    lab.run()
    assert _periods(_reports(lab)) == _expected_bins(gappy, "2h")
    assert [start[11:16] for start, _, _ in _periods(_reports(lab))] == [
        "00:00",
        "02:00",
        "08:00",
        "10:00",
    ]


def test_by_rows_gives_ceil_n_over_size_runs_across_files(lab) -> None:
    lab.create(model=MODEL, data={"chunk": {"by": "rows", "size": 400}})
    sizes = [250, 700, 130]  # 1,080 rows: chunks of 400, 400, 280
    for index, size in enumerate(sizes):
        lab.write(_hourly("2026-01-01", size, seed=index), name=f"part_{index}.csv")
    results = lab.run()
    assert len(results) == math.ceil(sum(sizes) / 400) == 3
    chunks = [r["chunk"] for r in _reports(lab)]
    shares = [
        [(f["path"].rsplit("/", 1)[-1], f["first"], f["stop"]) for f in c["files"]] for c in chunks
    ]
    assert shares == [
        [("part_0.csv", 0, 250), ("part_1.csv", 0, 150)],
        [("part_1.csv", 150, 550)],
        [("part_1.csv", 550, 700), ("part_2.csv", 0, 130)],
    ]
    assert [c["partial"] for c in chunks] == [False, False, True]
    assert [r["rows"] for r in _reports(lab)] == [400, 400, 280]
    assert lab.run() == []


def test_a_folder_of_irregular_files_is_chunked_across_file_boundaries(lab) -> None:
    pieces = [
        _hourly("2026-03-01 05:00", 100, seed=1),  # Sun 05:00 .. Thu 08:00
        _hourly("2026-03-04 00:00", 300, seed=2),  # overlaps the first, runs two weeks on
        _hourly("2026-03-20 12:00", 40, seed=3),
    ]
    _by_time(lab, "7D")
    for index, piece in enumerate(pieces):
        lab.write(piece, name=f"irregular_{index}.csv")
    lab.run()
    pooled = pd.concat(pieces, ignore_index=True)
    reports = _reports(lab)
    assert _periods(reports) == _expected_bins(pooled, "7D")
    names = [sorted(f["path"].rsplit("/", 1)[-1] for f in r["chunk"]["files"]) for r in reports]
    assert names[1] == ["irregular_0.csv", "irregular_1.csv"]  # one week from two files
    assert sum(r["rows"] for r in reports) == len(pooled)


def test_rows_for_a_period_already_run_make_their_own_late_run(lab) -> None:
    _by_time(lab, "1D")
    lab.write(_hourly("2026-05-04", 72), name="first.csv")
    lab.run()
    lab.write(_hourly("2026-05-05 06:00", 4, seed=9), name="late.csv")
    results = lab.run()
    assert len(results) == 1
    report = _reports(lab)[-1]
    assert report["period"]["start"] == "2026-05-05T00:00:00"
    assert report["rows"] == 4 and report["chunk"]["late"]
    assert lab.run() == []


def test_a_file_without_the_time_column_is_a_failed_run_naming_it(lab) -> None:
    _by_time(lab, "1D")
    lab.write(_hourly("2026-05-04", 30).drop(columns="ts"), name="no_time.csv")
    [result] = lab.run()
    assert result.status == "failed" and "no time column 'ts'" in result.reason
    assert lab.run() == []  # failed, not pending: `calmops retry` runs it again


def test_a_run_killed_mid_way_resumes_at_the_next_chunk_without_repeating_one(lab) -> None:
    _by_time(lab, "1D")
    month = _hourly("2026-06-01", 24 * 10)
    lab.write(month, name="month.csv")

    def die_in_the_fourth(step: str, rows) -> None:
        if step == "monitor" and len(lab.ws.store.runs.list("demo")) == 4:
            raise SystemExit("killed")  # not an Exception: the run is left `running`

    with pytest.raises(SystemExit), Runner(lab.ws, "demo") as runner:
        runner.run_pending(on_step=die_in_the_fourth)
    runs = lab.ws.store.runs.list("demo")
    assert Counter(r.status for r in runs) == {"succeeded": 3, "running": 1}
    with Runner(lab.ws, "demo") as runner:
        assert [p.name for p in runner.pending()] == ["month.csv"]
        results = runner.run_pending()
    assert len(results) == 7  # the interrupted day again, then the six after it
    done = [r for r in _reports(lab) if r and r["status"] == "succeeded"]
    assert sorted(_periods(done)) == _expected_bins(month, "1D")
    statuses = Counter(r.status for r in lab.ws.store.runs.list("demo"))
    assert statuses == {"succeeded": 10, "failed": 1}  # the killed run, marked interrupted
    assert lab.run() == []


@pytest.mark.slow  # a real process, killed
def test_sigkill_during_a_chunked_pass_repeats_no_chunk(lab) -> None:
    _by_time(lab, "1D")
    days = _hourly("2026-06-01", 24 * 20)
    lab.write(days, name="days.csv")
    process = subprocess.Popen(
        [sys.executable, "-m", "calmops", "--home", str(lab.ws.home), "run", "demo", "--once"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(lab.ws.store.runs.list("demo")) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_after = len(lab.ws.store.runs.list("demo"))
    assert 4 <= killed_after < 20, "the pass ended before it could be killed"
    lab.run()
    runs = lab.ws.store.runs.list("demo", limit=100)
    done = [lab.ws.store.runs.get("demo", r.id).report for r in runs if r.status == "succeeded"]
    assert sorted(_periods(done)) == _expected_bins(days, "1D")  # each day once, none lost
    assert all(r.status in ("succeeded", "failed") for r in runs)
    assert lab.run() == []


def test_status_names_the_chunk_a_one_off_run_is_on(lab) -> None:
    from calmops.monitor.status import pipeline_status

    _by_time(lab, "1D")
    lab.write(_hourly("2026-06-01", 48), name="two_days.csv")
    seen = []

    def look(step: str, rows) -> None:
        if step == "monitor":
            seen.append((pipeline_status(lab.ws, "demo", count_pending=False).current, rows))

    with Runner(lab.ws, "demo") as runner:
        runner.run_pending(on_step=look)
    folder = lab.incoming / "two_days.csv"
    assert seen == [
        (f"{folder} [2026-06-01 → 2026-06-02]", 24),
        (f"{folder} [2026-06-02 → 2026-06-03]", 24),
    ]
    assert pipeline_status(lab.ws, "demo").current is None


def test_a_forgotten_failed_chunk_runs_again_and_only_it(lab) -> None:
    _by_time(lab, "1D")
    path = lab.write(_hourly("2026-06-01", 72), name="days.csv")

    def fail_day_two(step: str, rows) -> None:
        if step == "score" and len(lab.ws.store.runs.list("demo")) == 2:
            raise RuntimeError("disk full")  # a failure of this run only

    with Runner(lab.ws, "demo") as runner:
        assert [r.status for r in runner.run_pending(on_step=fail_day_two)] == [
            "succeeded",
            "failed",
            "succeeded",
        ]
        assert runner.pending() == []  # the file is settled: its last chunk ran
        forgotten = lab.ws.store.runs.forget("demo")  # what `calmops retry demo` does
        day_two = "#period=2026-06-02T00:00:00/2026-06-03T00:00:00"
        assert [k.path for k in forgotten] == [f"{path.absolute()}{day_two}"]
        [again] = runner.run_files([Path(file_of(k.path)) for k in forgotten])
    assert again.status == "succeeded" and again.rows == 24
    assert "[2026-06-02 → 2026-06-03]" in again.source
    assert lab.run() == []


def test_a_value_that_is_not_a_date_fails_the_file_naming_it(lab) -> None:
    _by_time(lab, "1D")
    days = _hourly("2026-05-04", 30).astype({"ts": str})
    days.loc[7, "ts"] = "soon"
    lab.write(days, name="bad_time.csv")
    [result] = lab.run()
    assert result.status == "failed" and "'soon' (row 7)" in result.reason
