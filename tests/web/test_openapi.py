"""Schemathesis over the dashboards' OpenAPI document (``/api/openapi.json``), against a real
server on loopback over a copy of the session's workspace: every operation, every check
(status codes, content types, response schemas, and no 5xx), a fixed budget of examples.

(As in ``tests/server/test_openapi.py``, each operation's strategy is driven with Hypothesis
directly; the ``positive_data_acceptance`` check is left out because a well-formed action can
still be refused rightly, e.g. promoting a version that does not exist.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tests.harness import wait_for

from calmops.settings import Settings
from calmops.web.app import create_ui_app

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is a dev dependency: pip install -e '.[dev]'"
)

DOCUMENT = create_ui_app(Settings(home=Path("/nonexistent"))).openapi()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())
PIPELINES = ("sea", "reg", "fresh", "broken", "blocky", "ippy")


def test_the_document_is_valid_openapi() -> None:
    from openapi_spec_validator import validate

    validate(DOCUMENT)


@pytest.fixture(scope="module")
def live(built_once, tmp_path_factory) -> Iterator[str]:
    import uvicorn

    copy = built_once.copy(tmp_path_factory.mktemp("openapi-ui") / "copy")
    app = create_ui_app(copy.settings())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="the dashboards to start")
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=60)
    sock.close()


@pytest.mark.slow
@pytest.mark.xdist_group("openapi-ui")  # one live server for every operation
@pytest.mark.parametrize("label", OPERATIONS)
def test_every_answer_matches_the_document(live: str, label: str) -> None:
    operation = SCHEMA.find_operation_by_label(label)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case) -> None:
        case.call_and_validate(base_url=live, excluded_checks=EXCLUDED)
        if "name" in (case.path_parameters or {}):  # and the same input on real pipelines
            for pipeline in PIPELINES:
                case.path_parameters["name"] = pipeline
                case.call_and_validate(base_url=live, excluded_checks=EXCLUDED)

    check()
