"""A real S3-protocol server on loopback for the artifact-store tests.

moto's standalone server (``moto.server.ThreadedMotoServer``) stands in for S3 or MinIO: it
speaks the S3 HTTP protocol on 127.0.0.1, so s3fs talks to it exactly as it would to AWS or
a MinIO container (which cannot run here: there is no Docker engine). One server per test
process; each test gets a bucket of its own, so tests never see each other's objects.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import pytest

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "calmops-test",
    "AWS_SECRET_ACCESS_KEY": "calmops-test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of an S3 server started for this test process (skips without moto)."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    pytest.importorskip("s3fs", reason="s3fs is not installed (pip install calmops[s3])")
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The AWS variables that point s3fs (in this process and its children) at the server."""
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": s3_server}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return env


@pytest.fixture
def s3_url(s3_env: dict[str, str]) -> str:
    """``s3://<a new bucket>/calmops``: an empty artifact store of the test's own."""
    import s3fs

    bucket = f"calmops-{uuid.uuid4().hex[:12]}"
    s3fs.S3FileSystem(skip_instance_cache=True).mkdir(bucket)
    return f"s3://{bucket}/calmops"
