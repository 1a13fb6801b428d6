"""The ASGI app factories ``calmops serve --workers N`` hands to uvicorn's worker processes.

This module sits above both apps: the prediction server (``calmops.server``) and the
dashboards (``calmops.web``) never import each other.
"""

from __future__ import annotations

from fastapi import FastAPI

from calmops.server.app import app_from_environment
from calmops.settings import get_settings
from calmops.web.app import mount_ui

__all__ = ["served_with_ui"]


def served_with_ui() -> FastAPI:
    """The prediction server of ``calmops serve --workers N --ui``, dashboards under ``/ui``
    (each worker process builds it from the environment, like the server alone)."""
    return mount_ui(app_from_environment(), get_settings())
