"""``deploy/compose.yaml`` cannot run here (no Docker engine), so it is read: the services the
scale-out guide names are there, and what they point at exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).parents[2] / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _env(service: dict) -> dict:
    return service.get("environment") or {}


def test_every_part_of_the_scale_out_is_a_service(compose) -> None:
    services = compose["services"]
    assert {"postgres", "minio", "ray-head", "ray-worker", "proxy", "dashboard"} <= set(services)
    replicas = [
        n for n, s in services.items() if str(s.get("command", "")).startswith("calmops serve")
    ]
    assert len(replicas) == 2
    assert services["dashboard"]["command"].startswith("calmops ui")
    assert services["ray-worker"]["deploy"]["replicas"] >= 1


def test_the_calmops_services_share_the_store_and_the_artifacts(compose) -> None:
    services = compose["services"]
    postgres, minio = _env(services["postgres"]), _env(services["minio"])
    calmops = [
        s for s in services.values() if str(s.get("command", "")).startswith(("calmops", "ray"))
    ]
    assert len(calmops) >= 6
    for service in calmops:
        env = _env(service)
        db = re.fullmatch(
            r"postgresql://(\w+):([^@]+)@(\w[\w-]*):5432/(\w+)", env["CALMOPS_DB_URL"]
        )
        assert db and db.groups() == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            "postgres",
            postgres["POSTGRES_DB"],
        )
        assert env["CALMOPS_ARTIFACTS"].startswith("s3://")
        host = re.fullmatch(r"http://([\w-]+):9000", env["AWS_ENDPOINT_URL"]).group(1)
        assert host in services and host == "minio"
        assert env["AWS_ACCESS_KEY_ID"] == minio["MINIO_ROOT_USER"]
        assert env["AWS_SECRET_ACCESS_KEY"] == minio["MINIO_ROOT_PASSWORD"]
        assert "workspace:/workspace" in service["volumes"]
        assert env["CALMOPS_API_KEY"]


def test_the_bucket_is_made_and_the_proxy_reaches_both_replicas(compose) -> None:
    services = compose["services"]
    bucket = _env(services["serve-1"])["CALMOPS_ARTIFACTS"].removeprefix("s3://").split("/")[0]
    assert f"local/{bucket}" in services["minio-bucket"]["entrypoint"]
    nginx = (DEPLOY / "nginx.conf").read_text()
    for replica in ("serve-1", "serve-2"):
        port = services[replica]["command"].split("--port")[1].split()[0]
        assert f"server {replica}:{port}" in nginx
        assert replica in services["proxy"]["depends_on"]
    mount = services["proxy"]["volumes"][0].split(":")[0]
    assert (DEPLOY / mount).resolve() == (DEPLOY / "nginx.conf").resolve()
    head = services["ray-head"]["command"]
    assert "--ray-client-server-port=10001" in head
    assert _env(services["monitors"])["RAY_ADDRESS"] == "ray://ray-head:10001"
    assert "ray-head:6379" in services["ray-worker"]["command"]
    assert set(compose["volumes"]) >= {"workspace", "postgres", "minio"}
    assert (DEPLOY / "Dockerfile").is_file()
