"""Deployment files, checked by parsing them. No Docker engine, systemd or PM2 runs here:
the engines themselves are not exercised, only the files they would read."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from calmops.errors import RegistryError
from calmops.monitor.deploy import deploy, undeploy


@pytest.fixture
def deployed(site):
    site.create()
    return site


def test_systemd_unit(deployed) -> None:
    done = deploy(deployed.ws, "demo", "systemd")
    (unit,) = done.files
    assert unit.name == "calmops-demo.service"
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(unit.read_text())
    service = parser["Service"]
    assert service["ExecStart"] == f"{sys.executable} -m calmops run demo"
    assert f"CALMOPS_HOME={deployed.home.absolute()}" in service["Environment"]
    assert service["KillSignal"] == "SIGTERM" and int(service["TimeoutStopSec"]) >= 60
    assert service["Restart"] == "on-failure" and service["User"]
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    assert any("systemctl enable --now calmops-demo.service" in s for s in done.next_steps)
    user = deploy(deployed.ws, "demo", "systemd", user_unit=True)
    text = user.files[0].read_text()
    assert "User=" not in text and "WantedBy=default.target" in text
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(
            ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
        )
        # systemd's own parser, without a running systemd: settings and paths are valid
        assert "bad unit file setting" not in checked.stderr, checked.stderr
        assert "fatal error" not in checked.stderr, checked.stderr


def test_docker_files(deployed) -> None:
    done = deploy(deployed.ws, "demo", "docker")
    folder = done.folder
    dockerfile = (folder / "Dockerfile").read_text()
    instructions = [line.split()[0] for line in dockerfile.splitlines() if line[:1].isupper()]
    assert instructions[0] == "FROM" and "USER" in instructions and "HEALTHCHECK" in instructions
    assert 'pip install --no-cache-dir --find-links /tmp/wheels "${CALMOPS_PACKAGE}"' in dockerfile
    assert 'CMD ["calmops", "status", "demo", "--check"]' in dockerfile
    assert dockerfile.rstrip().endswith('CMD ["calmops", "run", "demo"]')
    user = dockerfile.split("USER ", 1)[1].split()[0]
    assert user != "root"
    assert "COPY . " not in dockerfile and str(deployed.root) not in dockerfile

    compose = yaml.safe_load((folder / "compose.yaml").read_text())
    service = compose["services"]["calmops-demo"]
    assert service["build"]["context"] == "." and service["restart"] == "unless-stopped"
    assert service["environment"]["CALMOPS_HOME"] == "/workspace"
    volumes = {v["target"]: v["source"] for v in service["volumes"]}
    assert set(volumes) == {"/workspace", str(deployed.incoming)}
    for target, source in volumes.items():
        assert not os.path.isabs(source)  # host paths relative to the compose file
        resolved = (folder / source).resolve()
        assert resolved == (deployed.home if target == "/workspace" else deployed.incoming)
    assert int(service["build"]["args"]["UID"]) != 0

    ignore = (folder / ".dockerignore").read_text().split()
    assert "*" in ignore and "!wheels/" in ignore


def test_pm2_ecosystem_file(deployed) -> None:
    done = deploy(deployed.ws, "demo", "pm2")
    (config,) = done.files
    text = config.read_text()
    app = json.loads(text.split("const app = ", 1)[1].split(";\n", 1)[0])
    assert app["name"] == "calmops-demo" and app["interpreter"] == "none"
    assert app["args"] == ["-m", "calmops", "run", "demo"] and app["autorestart"] is True
    assert (config.parent / app["env"]["CALMOPS_HOME"]).resolve() == deployed.home
    assert not os.path.isabs(app["cwd"]) and not os.path.isabs(app["out_file"])
    if shutil.which("node"):  # the file as PM2 would load it
        loaded = subprocess.run(
            ["node", "-e", "console.log(JSON.stringify(require(process.argv[1])))", str(config)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert loaded.returncode == 0, loaded.stderr
        (resolved,) = json.loads(loaded.stdout)["apps"]
        assert Path(resolved["env"]["CALMOPS_HOME"]) == deployed.home
        assert Path(resolved["out_file"]) == deployed.ws.paths("demo").logs / "pm2.out.log"


def test_undeploy_and_unknown_targets(deployed) -> None:
    for target in ("docker", "pm2", "systemd"):
        deploy(deployed.ws, "demo", target)
    removed = undeploy(deployed.ws, "demo", "pm2")
    assert [p.name for p in removed] == ["pm2"]
    assert {p.name for p in undeploy(deployed.ws, "demo")} == {"docker", "systemd"}
    assert not (deployed.ws.paths("demo").root / "deploy").exists()
    assert undeploy(deployed.ws, "demo") == []
    with pytest.raises(RegistryError, match="choose from docker, pm2, systemd"):
        deploy(deployed.ws, "demo", "kubernetes")
