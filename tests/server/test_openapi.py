"""Schemathesis over the OpenAPI document, against a real server on loopback: no input makes
it answer 500, and answers match the documented status codes and schemas.

(Schemathesis's own pytest plugin does not run under pytest 9, so each operation's
strategy is driven with Hypothesis directly. Its ``positive_data_acceptance`` check is left
out: which features a body needs depends on the pipeline, so a body can match the generic
schema and still, rightly, be refused with 422 naming the missing features.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from calmops.server import create_app
from calmops.settings import Settings

from .conftest import LiveServer, start_server

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is a dev dependency: pip install -e '.[dev]'"
)
positive_data_acceptance = schemathesis.checks.positive_data_acceptance

DOCUMENT = create_app(Settings(home=Path("/nonexistent"))).openapi()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
EXCLUDED = [positive_data_acceptance]
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())


@pytest.fixture(scope="module")
def live(workspace) -> Iterator[LiveServer]:
    server, stop = start_server(workspace, log_flush_seconds=3600)
    yield server
    stop()


def test_every_route_is_documented() -> None:
    assert {
        "POST /predict/{pipeline}",
        "POST /v2/models/{name}/infer",
        "GET /pipelines/{name}",
        "POST /feedback/{pipeline}",
        "GET /metrics",
        "GET /health",
    } <= set(OPERATIONS)


@pytest.mark.slow
@pytest.mark.xdist_group("openapi")  # one live server for every operation
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_input_makes_a_server_error(live: LiveServer, label: str) -> None:
    operation = SCHEMA.find_operation_by_label(label)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case) -> None:
        case.call_and_validate(base_url=live.url, excluded_checks=EXCLUDED)
        for key in ("pipeline", "name"):  # and the same input for pipelines that exist
            if key in (case.path_parameters or {}):
                for pipeline in ("sea", "mixed", "empty"):
                    case.path_parameters[key] = pipeline
                    case.call_and_validate(base_url=live.url, excluded_checks=EXCLUDED)

    check()


def test_the_document_is_valid_openapi() -> None:
    """Every ``$ref`` resolves from the root (the OIP body once pointed at ``#/$defs``)."""
    from openapi_spec_validator import validate

    validate(DOCUMENT)
    body = DOCUMENT["paths"]["/v2/models/{name}/infer"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InferenceRequest"
    }
