"""The Data tab dict: schema, statistics, missingness, distributions, a capped preview."""

from __future__ import annotations

import pandas as pd

from calmops.web.sections import find
from calmops.web.views.data import PREVIEW_ROWS, build_data


def test_schema_stats_and_distributions(reader) -> None:
    view = build_data(reader, "sea")
    schema = find(view, "data-schema")
    assert [row[0] for row in schema["rows"]] == ["x0", "x1", "x2", "target (target)"]
    assert schema["rows"][0][2] == "numeric" and schema["rows"][0][4] == "0.0%"
    assert schema["rows"][3][7].startswith(("0 (", "1 (")) and schema["rows"][0][7] == "—"
    stats = find(view, "data-stats")
    assert [row[0] for row in stats["rows"]] == ["x0", "x1", "x2"]
    assert float(stats["rows"][0][1]) > float(stats["rows"][0][8]) + 3  # x0 moved by +4
    assert find(view, "data-missing")["text"].startswith("No missing values")
    choices = find(view, "data-distributions")["choices"]
    assert set(choices) >= {"x0", "x1", "x2"}
    x0 = {t["name"]: t for t in choices["x0"]["data"]}
    assert abs(sum(x0["current"]["y"]) - 1) < 1e-3 and abs(sum(x0["reference"]["y"]) - 1) < 1e-3


def test_missing_values_chart(own) -> None:
    from calmops.web.reader import Reader

    batch = pd.read_csv(sorted((own.root / "in-sea").glob("*.csv"))[-1])
    batch.loc[::4, "x1"] = None  # holes in x1, run through the real pipeline
    own.write(batch, pipeline="sea")
    assert [r.status for r in own.run("sea")] == ["succeeded"]
    missing = find(build_data(Reader(own.workspace()), "sea"), "data-missing")["figure"]
    shares = {t["name"]: t["y"] for t in missing["data"]}
    assert shares["current"][1] == 0.25 and shares["reference"][1] == 0.0


def test_preview_is_capped(reader) -> None:
    preview = find(build_data(reader, "sea"), "data-preview")
    assert len(preview["rows"]) == PREVIEW_ROWS
    assert "of 800 rows" in preview["note"]


def test_regression_and_empty_states(reader) -> None:
    assert find(build_data(reader, "reg"), "data-kpis")["items"][1]["value"] == "400"
    assert "No runs yet" in find(build_data(reader, "fresh"), "data-empty")["text"]
    gone = build_data(reader, "broken")  # its only run failed: no batch to show
    assert find(gone, "data-gone")["tone"] == "warn"
