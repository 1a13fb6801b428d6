"""Each page agrees with the run report (issue 18, item 6): block badges and reasons, IPIP
lines that coincide, and an IPIP pipeline's training policy."""

from __future__ import annotations

from calmops.pipeline.sections import BlockDecision, DriftSummary
from calmops.web.sections import find
from calmops.web.views.blocks import BlockEntry, _block_row, build_blocks
from calmops.web.views.ipip import build_ipip
from calmops.web.views.training import build_training


def test_a_change_from_the_block_before_is_amber_and_explained() -> None:
    entry = BlockEntry(
        block="2024-02",
        rows=100,
        reference=DriftSummary(drift=False, drifted=(), share=0.0, tested=3),
        previous=DriftSummary(drift=True, drifted=("x0",), share=0.33, tested=3),
        decision=BlockDecision("keep", "no drift found", False, False),
    )
    row = _block_row(entry, [])
    reference, previous, why = row[2], row[3], row[-1]
    assert reference == {"badge": "no (0%)", "tone": "ok"}
    assert previous == {"badge": "changed (33%)", "tone": "warn"}  # never red beside "no drift"
    assert "no drift from the reference" in why and "block before" in why


def test_a_block_drifted_from_the_reference_never_says_no_drift_found(reader) -> None:
    table = find(build_blocks(reader, "blocky"), "blocks-latest")
    assert (
        "not used to decide" in table["columns"][table["columns"].index("drift vs reference") + 1]
    )
    drifted = next(row for row in table["rows"] if row[0] == "2024-03")
    assert drifted[3]["tone"] == "bad" and "drift" in drifted[-1] and "x0" in drifted[-1]
    assert "no drift found" not in drifted[-1]


def test_a_retrained_block_without_drift_gives_the_batch_reason(reader) -> None:
    run = reader.runs("months", limit=1)[0]
    table = find(build_blocks(reader, "months"), "blocks-latest")
    for row in table["rows"]:
        if row[-2].startswith("retrain") and "fell" not in row[-1]:
            assert "the batch's decision" in row[-1] and run.summary["reason"][:40] in row[-1]


def test_ipip_lines_that_coincide_stay_visible_and_are_named(reader) -> None:
    structure = find(build_ipip(reader, "ipipmonths"), "ipip-structure")
    traces = {t["name"]: t for t in structure["figure"]["data"]}
    p, ensembles = traces["p"], traces["ensembles"]
    assert p["y"] == ensembles["y"]  # pruned to p: the lines coincide ...
    assert p["line"]["width"] > ensembles["line"]["width"]  # ... a wide band under a line
    assert ensembles["line"]["dash"] != "solid" and p["opacity"] < 1
    assert p["marker"]["symbol"] != ensembles["marker"]["symbol"]
    assert "p and ensembles are equal at every block" in structure["note"]


def test_an_ipip_training_tab_shows_what_ipip_learns_from(reader) -> None:
    page = build_training(reader, "ipipmonths")
    policy = {k["label"]: k["value"] for k in find(page, "training-policy")["items"]}
    assert policy["strategy"] == "IPIP" and policy["judged on"] == "prequential"
    last = reader.report("ipipmonths", reader.runs("ipipmonths")[0]).ipip.blocks[-1]
    assert policy["ensembles kept (p)"] == str(last.p)  # as the run report says
    assert policy["largest ensemble (b)"] == str(last.b)
    assert "holdout share" not in policy and "window" not in policy
    assert "prequential balanced accuracy" in find(page, "training-table")["columns"]
    stream = {k["label"] for k in find(build_training(reader, "sea"), "training-policy")["items"]}
    assert "holdout share" in stream


def test_block_charts_name_runs_by_file(reader) -> None:
    heat = find(build_blocks(reader, "blocky"), "blocks-drift")["figure"]
    assert heat["data"][0]["x"] == ["blocks.csv"]  # the Runs tab's name, not "1"
    assert heat["layout"]["xaxis"]["type"] == "category"
