"""Deployment files for a pipeline's monitor: a systemd unit, Docker, or PM2.

``deploy(workspace, name, target)`` writes them under ``pipelines/<name>/deploy/<target>/``
and says what to run next; it never runs systemctl, docker or pm2 itself. Every target runs
the same command, ``calmops run NAME`` (the foreground monitor, which stops cleanly on
SIGTERM after its current batch), so there is one code path wherever a monitor runs.

- **systemd**: a unit with ``Restart=on-failure`` and a stop timeout long enough to finish a
  batch (systemd needs absolute paths; they are this machine's).
- **docker**: a Dockerfile (``python:3.11-slim``, calmops installed by pip, a non-root user,
  a healthcheck with ``calmops status --check``), a compose file whose host paths are all
  relative to it (the workspace and the data folder are volumes), and a ``.dockerignore``
  that keeps the build context empty but for optional local wheels.
- **pm2**: an ecosystem file whose paths are resolved from its own folder.
"""

from __future__ import annotations

import getpass
import grp
import json
import os
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from calmops import __version__
from calmops.registry import Registry
from calmops.workspace import Workspace

__all__ = ["TARGETS", "Deployment", "Target", "deploy", "undeploy"]

STOP_SECONDS = 300  # time a monitor gets to finish its batch before it is killed


@dataclass(frozen=True)
class Deployment:
    """The files written for one target and the commands that put them to use."""

    target: str
    folder: Path
    files: tuple[Path, ...]
    next_steps: tuple[str, ...]


@dataclass(frozen=True)
class _Context:
    name: str
    home: Path
    folder: Path
    data_dir: Path
    python: str
    user_unit: bool

    def rel(self, path: Path) -> str:
        """``path`` relative to the deployment folder, POSIX style."""
        return Path(os.path.relpath(path.absolute(), self.folder.absolute())).as_posix()


def deploy(workspace: Workspace, name: str, target: str, *, user_unit: bool = False) -> Deployment:
    """Write the deployment files of ``name`` for ``target`` (docker, pm2 or systemd).

    Examples
    --------
    >>> import tempfile
    >>> from calmops.settings import Settings
    >>> from calmops.spec import PipelineSpec
    >>> home = Path(tempfile.mkdtemp())
    >>> ws = Workspace(Settings(home=home))
    >>> _ = ws.create(PipelineSpec.from_dict({"name": "demo", "data": {"dir": str(home / "in")},
    ...     "trigger": {"type": "watch"}}))
    >>> sorted(p.name for p in deploy(ws, "demo", "docker").files)
    ['.dockerignore', 'Dockerfile', 'README.txt', 'compose.yaml']
    >>> undeploy(ws, "demo") == [ws.paths("demo").root / "deploy" / "docker"]
    True
    """
    writer = TARGETS.get(target)
    spec = workspace.spec(name)
    folder = workspace.paths(name).root / "deploy" / target
    context = _Context(
        name=name,
        home=workspace.home.absolute(),
        folder=folder,
        data_dir=Path(spec.data.dir).absolute(),
        python=sys.executable,
        user_unit=user_unit,
    )
    files, steps = writer.write(context)
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return Deployment(target, folder, tuple(written), tuple(steps))


def undeploy(workspace: Workspace, name: str, target: str | None = None) -> list[Path]:
    """Remove the deployment files of ``name`` (one target, or all); returns what was removed."""
    if target is not None:
        TARGETS.check(target)
    base = workspace.paths(name).root / "deploy"
    removed = []
    for each in [target] if target else sorted(TARGETS):
        folder = base / each
        if folder.exists():
            shutil.rmtree(folder)
            removed.append(folder)
    if base.exists() and not any(base.iterdir()):
        base.rmdir()
    return removed


# ---- systemd ---------------------------------------------------------------------------


def _systemd(c: _Context) -> tuple[dict[str, str], list[str]]:
    """A systemd unit that runs the monitor (user or system unit)."""
    unit = f"calmops-{c.name}.service"
    command = " ".join(_quote(part) for part in (c.python, "-m", "calmops", "run", c.name))
    account = ""
    if not c.user_unit:
        group = grp.getgrgid(os.getgid()).gr_name
        account = f"User={getpass.getuser()}\nGroup={group}\n"
    text = f"""\
# systemd unit for the CalmOps monitor of pipeline '{c.name}' (written by `calmops deploy`)
[Unit]
Description=CalmOps monitor of pipeline {c.name}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
{account}WorkingDirectory={_quote(str(c.home))}
Environment={_quote(f"CALMOPS_HOME={c.home}")} PYTHONUNBUFFERED=1
# optional settings kept out of the unit, e.g. CALMOPS_DB_URL=postgresql://...
EnvironmentFile=-{_quote(str(c.home / "calmops.env"))}
ExecStart={command}
KillSignal=SIGTERM
TimeoutStopSec={STOP_SECONDS}
Restart=on-failure
RestartSec=5
NoNewPrivileges=true

[Install]
WantedBy={"default.target" if c.user_unit else "multi-user.target"}
"""
    path = c.folder / unit
    if c.user_unit:
        steps = [
            f"mkdir -p ~/.config/systemd/user && cp {path} ~/.config/systemd/user/",
            f"systemctl --user daemon-reload && systemctl --user enable --now {unit}",
            f"journalctl --user -u {unit} -f   (or: calmops logs {c.name} -f)",
        ]
    else:
        steps = [
            f"sudo cp {path} /etc/systemd/system/",
            f"sudo systemctl daemon-reload && sudo systemctl enable --now {unit}",
            f"journalctl -u {unit} -f   (or: calmops logs {c.name} -f)",
        ]
    return {unit: text}, steps


def _quote(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ' "\\') else value


# ---- docker ----------------------------------------------------------------------------


DOCKERIGNORE = """\
# The build needs nothing from this folder except optional local wheels of calmops.
*
!wheels/
"""
WHEELS_README = """\
Put a wheel of calmops here (pip wheel --no-deps -w wheels /path/to/calmops) if it is not
on your package index, and build with --build-arg CALMOPS_PACKAGE=calmops==<version>.
"""


def _docker(c: _Context) -> tuple[dict[str, str], list[str]]:
    """A Dockerfile and compose file that run the monitor in a container."""
    uid = os.getuid() or 10001  # never root inside the image
    gid = os.getgid() if os.getuid() else 10001
    steps = [
        f"cd {c.folder}",
        "docker compose up -d --build",
        f"docker compose logs -f   (or: calmops logs {c.name} -f)",
        f"stop the host's monitor first: both would share the workspace (`calmops stop {c.name}`)",
    ]
    files = {
        "Dockerfile": _dockerfile(c, uid, gid),
        "compose.yaml": _compose(c, uid, gid),
        ".dockerignore": DOCKERIGNORE,
        "wheels/README.txt": WHEELS_README,
    }
    return files, steps


def _dockerfile(c: _Context, uid: int, gid: int) -> str:
    """An image that installs calmops and runs the monitor as an unprivileged user."""
    return f"""\
# Image for the CalmOps monitor of pipeline '{c.name}' (written by `calmops deploy`).
# Nothing is copied from the host but optional wheels: the workspace and the data folder
# are volumes (see compose.yaml).
FROM python:3.11-slim

ARG CALMOPS_PACKAGE=calmops=={__version__}
ARG UID={uid}
ARG GID={gid}

ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    CALMOPS_HOME=/workspace

COPY wheels/ /tmp/wheels/
RUN pip install --no-cache-dir --find-links /tmp/wheels "${{CALMOPS_PACKAGE}}" \\
    && rm -rf /tmp/wheels \\
    && groupadd --gid "${{GID}}" calmops \\
    && useradd --uid "${{UID}}" --gid "${{GID}}" --create-home --shell /usr/sbin/nologin calmops

USER calmops
WORKDIR /workspace
VOLUME ["/workspace"]

HEALTHCHECK --interval=30s --timeout=20s --start-period=60s --retries=3 \\
    CMD ["calmops", "status", {json.dumps(c.name)}, "--check"]

STOPSIGNAL SIGTERM
CMD ["calmops", "run", {json.dumps(c.name)}]
"""


def _compose(c: _Context, uid: int, gid: int) -> str:
    """A compose service that builds the image and mounts the workspace and data folder."""
    return f"""\
# Compose file for the CalmOps monitor of pipeline '{c.name}' (written by `calmops deploy`).
# Host paths are relative to this file. The data folder is mounted at the path the
# pipeline's spec names, so the same workspace works on the host and in the container.
services:
  calmops-{c.name}:
    build:
      context: .
      args:
        CALMOPS_PACKAGE: "calmops=={__version__}"
        UID: "{uid}"
        GID: "{gid}"
    image: calmops-{c.name.lower()}:latest
    command: ["calmops", "run", {json.dumps(c.name)}]
    restart: unless-stopped
    init: true
    stop_signal: SIGTERM
    stop_grace_period: {STOP_SECONDS}s
    environment:
      CALMOPS_HOME: /workspace
    volumes:
      - type: bind
        source: {json.dumps(c.rel(c.home))}
        target: /workspace
      - type: bind
        source: {json.dumps(c.rel(c.data_dir))}
        target: {json.dumps(c.data_dir.as_posix())}
"""


# ---- pm2 -------------------------------------------------------------------------------


def _pm2(c: _Context) -> tuple[dict[str, str], list[str]]:
    """A PM2 ecosystem file that runs the monitor."""
    app = {
        "name": f"calmops-{c.name}",
        "script": c.python,
        "args": ["-m", "calmops", "run", c.name],
        "interpreter": "none",
        "cwd": c.rel(c.home),
        "env": {"CALMOPS_HOME": c.rel(c.home), "PYTHONUNBUFFERED": "1"},
        "autorestart": True,
        "max_restarts": 10,
        "restart_delay": 5000,
        "kill_timeout": STOP_SECONDS * 1000,
        "out_file": c.rel(c.folder.parent.parent / "logs" / "pm2.out.log"),
        "error_file": c.rel(c.folder.parent.parent / "logs" / "pm2.err.log"),
        "merge_logs": True,
        "time": True,
    }
    text = f"""\
// PM2 ecosystem file for the CalmOps monitor of pipeline '{c.name}' (written by `calmops deploy`).
// Paths are relative to this file; the interpreter is the Python calmops was installed in.
const path = require("path");
const here = (p) => path.resolve(__dirname, p);

const app = {json.dumps(app, indent=2)};

app.cwd = here(app.cwd);
app.env.CALMOPS_HOME = here(app.env.CALMOPS_HOME);
app.out_file = here(app.out_file);
app.error_file = here(app.error_file);

module.exports = {{ apps: [app] }};
"""
    path = c.folder / "ecosystem.config.js"
    steps = [
        f"pm2 start {shlex.quote(str(path))} && pm2 save",
        "pm2 startup   (prints the command that starts PM2 at boot)",
        f"pm2 logs calmops-{c.name}   (or: calmops logs {c.name} -f)",
    ]
    return {"ecosystem.config.js": text}, steps


@dataclass(frozen=True)
class Target:
    """A deployment target: ``write(context)`` gives its files (by relative path) and the
    steps that start the monitor with them."""

    name: str
    write: Callable[[_Context], tuple[dict[str, str], list[str]]]


TARGETS: Registry[Target] = Registry("deploy target")
"""Deployment targets by name (``calmops monitor deploy --target``)."""
TARGETS.register(Target("docker", _docker))
TARGETS.register(Target("pm2", _pm2))
TARGETS.register(Target("systemd", _systemd))
