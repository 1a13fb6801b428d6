"""The typed run report: the JSON of the previous version reads back unchanged, real runs
round-trip through ``RunReport``, and ``Decision.kind`` is an enum that stays a string."""

from __future__ import annotations

import json

from calmops.pipeline.policy import Decision, DecisionKind
from calmops.pipeline.report import RunReport

from .test_block import blocks_frame, create
from .test_ipip import create as create_ipip
from .test_ipip import months

# a block run's report as the version before the typed report wrote it
BLOCK_REPORT = {
    "schema_version": 1,
    "run_id": "20261126T041500-1a2b3c4d",
    "pipeline": "demo",
    "status": "succeeded",
    "error": None,
    "started_at": "2026-11-26T04:15:00+00:00",
    "finished_at": "2026-11-26T04:15:03+00:00",
    "file": {"path": "/data/b.csv", "size": 120, "sha256": "ab" * 32, "mtime_ns": 1},
    "rows": 900,
    "labelled": True,
    "task": "classification",
    "notes": ["1 block(s) with fewer than 30 rows get no drift test"],
    "decision": {"kind": "retrain", "reason": "retraining because ...", "triggers": ["data"]},
    "signals": {"data": {"fired": True, "summary": "data drift in 1 of 3 blocks", "details": {}}},
    "champion": {"before": 1, "after": 2},
    "metrics": {"champion_on_batch": {"balanced_accuracy": 0.71}},
    "challengers": [
        {
            "version": 2,
            "strategy": "window",
            "trained_on": "the last 600 rows",
            "rows": 600,
            "metrics": {"balanced_accuracy": 0.9},
            "champion_metrics": {"balanced_accuracy": 0.7},
            "comparison": {"improvement": 0.2, "low": 0.1, "high": 0.3, "p_value": 0.01},
            "promoted": True,
            "reason": "promoted: ...",
        }
    ],
    "drift": {"schema_version": 1, "drift_detected": True, "features": {}},
    "timings": {"load": 0.01, "learn": 1.2},
    "blocks": {
        "column": "block",
        "order": ["b1", "b2", "b3"],
        "rows": {"b1": 450, "b2": 440, "b3": 10},
        "metrics": {"b1": {"balanced_accuracy": 0.9}, "b2": {"balanced_accuracy": None}},
        "routes": {"b1": "b1", "b2": "fallback", "b3": "fallback"},
        "drift": {
            "b1": {"rows": 450, "reference": None, "previous": None},
            "b2": {
                "rows": 440,
                "reference": {"drift": True, "drifted": ["x1"], "share": 0.5, "tested": 2},
                "previous": {
                    "block": "b1",
                    "drift": False,
                    "drifted": [],
                    "share": 0.0,
                    "tested": 2,
                },
            },
            "b3": {"rows": 10, "reference": None, "previous": None, "skipped": "fewer than 30"},
        },
        "matrix": {"blocks": ["b1", "b2"], "share_drifted": [[0, 0.5], [0.5, 0]], "left_out": 0,
                   "cap": 20},
        "performance": {"b1": {"fired": False, "summary": "quiet"}},
        "decisions": {
            "b1": {"action": "keep", "why": "no drift found", "flagged": False, "new": False},
            "b2": {"action": "retrain", "why": "data drift in x1", "flagged": True, "new": False},
            "b3": {"action": "keep", "why": "no drift found", "flagged": False, "new": False},
        },
        "evaluation": {"mode": "split", "blocks": ["b2"]},
        "router": [
            {"block_models": ["b1", "b2"], "skipped": {"b3": "10 rows"}, "unseen": "fallback",
             "retrained": ["b2"]}
        ],
        "challengers": {"2": {"b2": {"balanced_accuracy": 0.9}}},
    },
}  # fmt: skip

IPIP_SECTION = {
    "blocks": [
        {"block": "2024-1", "rows": 400, "metrics": None, "action": "trained", "p": 3, "b": 5,
         "ensembles": 3, "models_per_ensemble": [5, 5, 5], "replaced_share": 1.0},
        {"block": "2024-2", "rows": 400, "metrics": {"balanced_accuracy": 0.8},
         "action": "kept for the next block: a single class ('0')"},
    ],
    "prequential": {"balanced_accuracy": 0.8},
    "scored_rows": 400,
}  # fmt: skip


def _json(data):
    return json.loads(json.dumps(data, default=str))


def test_a_report_of_the_previous_version_reads_back_unchanged() -> None:
    report = RunReport.from_dict(BLOCK_REPORT)
    assert report.to_dict() == BLOCK_REPORT
    assert report.decision.kind is DecisionKind.RETRAIN and report.decision.triggers == ("data",)
    assert report.promoted.version == 2 and report.champion_metrics["balanced_accuracy"] == 0.71
    blocks = report.blocks
    assert blocks.drift["b2"].reference.drifted == ("x1",)
    assert blocks.drift["b2"].previous.block == "b1"
    assert blocks.drift["b3"].skipped == "fewer than 30"
    assert blocks.decisions["b2"].action == "retrain" and blocks.router[0].retrained == ("b2",)
    assert blocks.flagged() == {"b2": "data drift in x1"}


def test_an_ipip_section_and_unknown_keys_read_back_unchanged() -> None:
    written = {**BLOCK_REPORT, "ipip": IPIP_SECTION, "future_section": {"level": 2}}
    report = RunReport.from_dict(written)
    assert report.to_dict() == written
    assert report.extra == {"future_section": {"level": 2}}
    first, second = report.ipip.blocks
    assert first.learned and first.models_per_ensemble == (5, 5, 5)
    assert not second.learned and second.p is None


def test_a_report_with_almost_nothing_still_reads() -> None:
    report = RunReport.from_dict({"run_id": "r", "status": "failed", "error": "bad file"})
    assert (report.decision, report.blocks, report.ipip, report.challengers) == (
        None,
        None,
        None,
        (),
    )
    assert report.to_dict()["champion"] == {"before": None, "after": None}


def test_block_runs_round_trip_through_the_typed_report(lab) -> None:
    create(lab, router="blockwise", matrix=True)
    lab.write(blocks_frame(1, ["b1", "b2", "b3"], rows=150))
    lab.write(blocks_frame(2, ["b1", "b2", "b4"], rows=150, flipped=("b2",)))
    results = lab.run()
    assert [r.status for r in results] == ["succeeded", "succeeded"]
    for result in results:
        saved = lab.ws.store.runs.get("demo", result.run_id).report
        file = lab.ws.paths("demo").runs / f"{result.run_id}.json"
        assert json.loads(file.read_text()) == _json(saved)
        assert RunReport.from_dict(saved).to_dict() == saved
    second = RunReport.from_dict(lab.ws.store.runs.get("demo", results[1].run_id).report)
    assert second.blocks.order == ("b1", "b2", "b4") and second.blocks.matrix is not None
    assert second.blocks.decisions["b4"].new is True


def test_ipip_runs_round_trip_through_the_typed_report(lab) -> None:
    create_ipip(lab)
    lab.write(months(1, 3, rows=300))
    (result,) = lab.run()
    saved = lab.ws.store.runs.get("demo", result.run_id).report
    assert RunReport.from_dict(saved).to_dict() == saved
    report = RunReport.from_dict(saved)
    assert [b.action for b in report.ipip.blocks] == ["trained", "updated", "updated"]
    assert report.blocks.decisions["2024-2"].action == "updated"


def test_the_decision_kind_is_an_enum_that_stays_a_string() -> None:
    decision = Decision("no_drift", "quiet")
    assert decision.kind is DecisionKind.NO_DRIFT and decision.kind == "no_drift"
    assert json.dumps(decision.to_dict()) == (
        '{"kind": "no_drift", "reason": "quiet", "triggers": []}'
    )
    assert f"{decision.kind}" == "no_drift" and not decision.kind.trains
    assert Decision.from_dict(decision.to_dict()) == decision
