"""The Blocks and IPIP tab dicts, from the block and IPIP sections of a run report."""

from __future__ import annotations

from calmops.web.sections import find
from calmops.web.views.blocks import build_blocks
from calmops.web.views.ipip import build_ipip
from calmops.web.views.status import build_status


def test_block_tabs_only_for_block_kinds(reader) -> None:
    assert "blocks" in [t["tab"] for t in build_status(reader, "blocky")["tabs"]]
    assert "ipip" not in [t["tab"] for t in build_status(reader, "blocky")["tabs"]]
    assert {"blocks", "ipip"} <= {t["tab"] for t in build_status(reader, "ippy")["tabs"]}
    assert "blocks" not in [t["tab"] for t in build_status(reader, "sea")["tabs"]]


def test_per_block_metrics_and_drift(reader) -> None:
    view = build_blocks(reader, "blocky")
    rows = find(view, "blocks-latest")["rows"]
    assert [r[0] for r in rows] == ["2024-01", "2024-02", "2024-03"]
    assert rows[0][2] == "0.900" and rows[2][3] == {"badge": "drift (50%)", "tone": "bad"}
    assert rows[2][5] == "x0"
    assert find(view, "blocks-kpis")["items"][2]["value"] == "1"
    metric = find(view, "blocks-metric")["figure"]["data"][0]
    assert metric["x"] == ["2024-01", "2024-02", "2024-03"]
    assert find(view, "blocks-matrix")["figure"]["data"][0]["z"][0][2] == 0.5
    assert find(view, "blocks-drift")["figure"]["data"][0]["z"][2] == [0.5]


def test_ipip_structure_over_blocks(reader) -> None:
    view = build_ipip(reader, "ippy")
    structure = {t["name"]: t["y"] for t in find(view, "ipip-structure")["figure"]["data"]}
    assert structure["p"] == [5, 5, 5] and structure["ensembles"] == [3, 4, 5]
    replaced = find(view, "ipip-replacement")["figure"]["data"][0]
    assert replaced["name"] == "share replaced" and replaced["y"] == [0.0, 0.2, 0.4]


def test_ipip_blocks_feed_the_blocks_tab(reader) -> None:
    rows = find(build_blocks(reader, "ippy"), "blocks-latest")["rows"]
    assert [r[0] for r in rows] == ["2024-01", "2024-02", "2024-03"] and rows[0][2] == "0.800"


def test_no_block_results(reader) -> None:
    assert "No per-block results" in find(build_blocks(reader, "sea"), "blocks-none")["text"]
    assert "No IPIP structure" in find(build_ipip(reader, "sea"), "ipip-none")["text"]


def test_a_real_block_pipeline(reader) -> None:
    view = build_blocks(reader, "months")
    rows = find(view, "blocks-latest")["rows"]
    assert [r[0] for r in rows] == ["2024-04", "2024-05", "2024-06"]  # the latest file's
    assert all(r[1] == "500" for r in rows)
    assert find(view, "blocks-metric")["figure"]["data"]
    assert "ipip" not in [t["tab"] for t in build_status(reader, "months")["tabs"]]


def test_a_real_ipip_pipeline(reader) -> None:
    view = build_ipip(reader, "ipipmonths")
    rows = find(view, "ipip-table")["rows"]
    assert [r[0].split(" · ")[1] for r in rows] == [f"2024-0{i}" for i in range(1, 7)]
    structure = {t["name"]: t["y"] for t in find(view, "ipip-structure")["figure"]["data"]}
    assert {"p", "b", "ensembles"} <= set(structure) and len(structure["p"]) == 6
    labels = [k["label"] for k in find(view, "ipip-kpis")["items"]]
    assert "prequential balanced accuracy" in labels
    assert sum(find(view, "ipip-ensembles")["figure"]["data"][0]["y"]) > 0
    blocks = find(build_blocks(reader, "ipipmonths"), "blocks-latest")["rows"]
    assert [r[0] for r in blocks] == ["2024-04", "2024-05", "2024-06"]
