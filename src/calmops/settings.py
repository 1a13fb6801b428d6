"""Process settings: where the workspace is, which store and which artifact store to use.

Settings are read from the environment when :func:`get_settings` is called, never at import
time, so a test or a CLI flag can change them. The pipeline spec (``calmops.spec``) is the
other kind of configuration: it describes one pipeline, not the process.

==================  =========================================  ====================
setting             environment variable                       default
==================  =========================================  ====================
``home``            ``CALMOPS_HOME`` (the CLI's ``--home`` wins)  ``./calmops-home``
``db_url``          ``CALMOPS_DB_URL``                         SQLite ``<home>/calmops.db``
``api_key``         ``CALMOPS_API_KEY``                        none
``artifacts_url``   ``CALMOPS_ARTIFACTS``                      the workspace folder
``executor``        ``CALMOPS_EXECUTOR`` (set by the executor)  ``local``
``node``            ``CALMOPS_NODE`` (set by the executor)      none (this host)
``host``            ``CALMOPS_HOST``                           the host name
``lease_seconds``   ``CALMOPS_LEASE_SECONDS``                  ``30``
==================  =========================================  ====================

``lease_seconds`` is how long a pipeline's lease outlives a holder that stopped renewing it
(it renews every third of it): the delay before another host takes over a dead monitor.
``host`` names this machine in leases (a lease of a dead process of the same ``host`` is
taken over at once); set it where several containers share a host name.

A workspace may also say where it lives in ``<home>/settings.yaml`` (``db_url:``,
``artifacts:``), as ``calmops migrate`` writes it; the environment wins over the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calmops.errors import SpecError

__all__ = ["DEFAULT_HOME", "SETTINGS_FILE", "Settings", "get_settings", "workspace_settings"]

DEFAULT_HOME = Path("calmops-home")
SETTINGS_FILE = "settings.yaml"


@dataclass(frozen=True)
class Settings:
    """Where this process keeps its workspace and its store."""

    home: Path
    db_url: str | None = None
    api_key: str | None = None
    artifacts_url: str | None = None
    executor: str = "local"
    node: str | None = None
    host: str | None = None
    lease_seconds: float = 30.0

    @property
    def store_url(self) -> str:
        """The SQLAlchemy URL of the store: ``db_url`` or the workspace's SQLite file."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.home / 'calmops.db').as_posix()}"


def get_settings(home: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings now, with ``home`` (from a ``--home`` flag) taking precedence.

    Examples
    --------
    >>> get_settings(home="/tmp/ws").home.as_posix()
    '/tmp/ws'
    >>> Settings(home=Path("/tmp/ws")).store_url
    'sqlite:////tmp/ws/calmops.db'
    """
    chosen = home if home is not None else os.environ.get("CALMOPS_HOME") or DEFAULT_HOME
    folder = Path(chosen).expanduser().absolute()
    saved = workspace_settings(folder)
    return Settings(
        home=folder,
        db_url=os.environ.get("CALMOPS_DB_URL") or saved.get("db_url") or None,
        api_key=os.environ.get("CALMOPS_API_KEY") or None,
        artifacts_url=os.environ.get("CALMOPS_ARTIFACTS") or saved.get("artifacts") or None,
        executor=os.environ.get("CALMOPS_EXECUTOR") or "local",
        node=os.environ.get("CALMOPS_NODE") or None,
        host=os.environ.get("CALMOPS_HOST") or None,
        lease_seconds=_seconds(os.environ.get("CALMOPS_LEASE_SECONDS"), 30.0),
    )


def _seconds(text: str | None, default: float) -> float:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise SpecError(f"CALMOPS_LEASE_SECONDS must be a positive number of seconds, not {text!r}")
    return value


def workspace_settings(home: Path) -> dict[str, Any]:
    """The ``db_url`` and ``artifacts`` saved in ``<home>/settings.yaml`` ({} without one).

    >>> import tempfile
    >>> home = Path(tempfile.mkdtemp())
    >>> _ = (home / SETTINGS_FILE).write_text("artifacts: s3://bucket/calmops")
    >>> workspace_settings(home), get_settings(home=home).artifacts_url
    ({'artifacts': 's3://bucket/calmops'}, 's3://bucket/calmops')
    """
    path = home / SETTINGS_FILE
    if not path.is_file():
        return {}
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SpecError(f"{path}: not valid YAML ({error}); fix or remove it") from None
    if not isinstance(loaded, dict):
        raise SpecError(f"{path}: must be a mapping with db_url and/or artifacts")
    return {k: str(v) for k, v in loaded.items() if k in ("db_url", "artifacts") and v}
