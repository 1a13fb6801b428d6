"""The workspace's notification settings: ``<home>/notifications.yaml``.

::

    notifications:
      kinds: [failed, breaker, chance, alert, signal]   # which alerts (default: all)
      pipelines: [sea, sites]                           # which pipelines (default: all)
      dashboard_url: http://127.0.0.1:8765              # links to the run in messages
      webhooks:
        - url: https://hooks.slack.com/services/...
          format: slack                                 # calmops | slack | teams
          secret_env: CALMOPS_WEBHOOK_SECRET            # HMAC-SHA256 signing secret
          attempts: 4                                   # retried with exponential backoff
          backoff_seconds: 1.0
      email:
        host: smtp.example.com
        port: 587
        starttls: true
        user_env: CALMOPS_SMTP_USER                     # user and password from the env
        password_env: CALMOPS_SMTP_PASSWORD
        from: calmops@example.com
        to: [oncall@example.com]

No file, no notifications. Secrets are never written in the file: it names the
environment variables that hold them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from calmops.alerts import ALERT_KINDS
from calmops.errors import SpecError
from calmops.strict_yaml import load_yaml

__all__ = [
    "CONFIG_FILE",
    "EmailSpec",
    "NotificationsSpec",
    "WebhookSpec",
    "load_notifications",
    "secret_from_env",
]

CONFIG_FILE = "notifications.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class WebhookSpec(_Strict):
    """A webhook: a JSON POST, signed when a secret is named, retried with backoff."""

    url: str = Field(pattern=r"^https?://", description="Where to POST (http or https).")
    format: Literal["calmops", "slack", "teams"] = "calmops"
    secret_env: str | None = Field(None, description="Env variable holding the HMAC secret.")
    attempts: int = Field(4, ge=1, le=10, description="Tries before giving up.")
    backoff_seconds: float = Field(1.0, ge=0, le=60, description="Wait before the 2nd try.")
    backoff_factor: float = Field(2.0, ge=1, le=10)
    timeout_seconds: float = Field(10.0, gt=0, le=120)


class EmailSpec(_Strict):
    """Email over SMTP, with a plain-text body."""

    host: str
    port: int = Field(587, ge=1, le=65535)
    starttls: bool = True
    user_env: str | None = None
    password_env: str | None = None
    sender: str = Field(alias="from", pattern=r"^[^@\s]+@[^@\s]+$")
    to: list[str] = Field(min_length=1)
    timeout_seconds: float = Field(20.0, gt=0, le=120)

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        bad = [a for a in value if "@" not in a or any(c.isspace() for c in a)]
        if bad:
            raise ValueError(f"not an email address: {', '.join(bad)}")
        return value


class NotificationsSpec(_Strict):
    """Which alerts go out, and where."""

    kinds: list[Literal["failed", "breaker", "signal", "chance", "alert"]] = Field(
        default_factory=lambda: list(ALERT_KINDS)
    )
    pipelines: list[str] | None = None
    dashboard_url: str | None = Field(None, pattern=r"^https?://")
    webhooks: list[WebhookSpec] = Field(default_factory=list)
    email: EmailSpec | None = None

    def wants(self, pipeline: str, kind: str) -> bool:
        """Whether an alert of ``kind`` from ``pipeline`` goes out."""
        return kind in self.kinds and (self.pipelines is None or pipeline in self.pipelines)

    def run_url(self, pipeline: str, run_id: str) -> str | None:
        if self.dashboard_url is None:
            return None
        return f"{self.dashboard_url.rstrip('/')}/pipelines/{pipeline}/runs/{run_id}"


def load_notifications(home: Path) -> NotificationsSpec | None:
    """The settings in ``home/notifications.yaml`` (None when there is no such file).

    Raises SpecError naming the field when the file is invalid.

    Examples
    --------
    >>> import tempfile
    >>> home = Path(tempfile.mkdtemp())
    >>> load_notifications(home) is None
    True
    >>> _ = (home / CONFIG_FILE).write_text(
    ...     "notifications:\\n  webhooks:\\n    - url: http://127.0.0.1:9/hook\\n")
    >>> load_notifications(home).webhooks[0].format
    'calmops'
    """
    path = Path(home) / CONFIG_FILE
    if not path.exists():
        return None
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SpecError(f"{CONFIG_FILE}: not valid YAML ({error})") from None
    if not isinstance(data, dict) or set(data) - {"notifications"}:
        raise SpecError(f"{CONFIG_FILE}: expected one top-level key 'notifications'")
    try:
        return NotificationsSpec.model_validate(data.get("notifications") or {})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SpecError(f"{CONFIG_FILE}: notifications.{where}: {first['msg']}") from None


def secret_from_env(name: str | None, what: str) -> str | None:
    """The value of the environment variable ``name`` (None when no name is given).

    Raises SpecError when the variable is named but not set, so a missing secret is said,
    not silently skipped.
    """
    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise SpecError(f"{CONFIG_FILE}: {what} is read from ${name}, which is not set")
    return value
