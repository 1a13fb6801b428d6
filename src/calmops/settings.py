"""Process settings: where the workspace is and which store to use.

Settings are read from the environment when :func:`get_settings` is called, never at import
time, so a test or a CLI flag can change them. The pipeline spec (``calmops.spec``) is the
other kind of configuration: it describes one pipeline, not the process.

==================  =========================================  ====================
setting             environment variable                       default
==================  =========================================  ====================
``home``            ``CALMOPS_HOME`` (the CLI's ``--home`` wins)  ``./calmops-home``
``db_url``          ``CALMOPS_DB_URL``                         SQLite ``<home>/calmops.db``
``api_key``         ``CALMOPS_API_KEY``                        none
==================  =========================================  ====================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_HOME", "Settings", "get_settings"]

DEFAULT_HOME = Path("calmops-home")


@dataclass(frozen=True)
class Settings:
    """Where this process keeps its workspace and its store."""

    home: Path
    db_url: str | None = None
    api_key: str | None = None

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
    return Settings(
        home=Path(chosen).expanduser().absolute(),
        db_url=os.environ.get("CALMOPS_DB_URL") or None,
        api_key=os.environ.get("CALMOPS_API_KEY") or None,
    )
